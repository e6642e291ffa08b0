import { SingleBar } from 'cli-progress'

/** How often a bar prints a line when stderr is a log rather than a terminal. */
const LOG_EVERY_MS = 5000

/** Seconds as a reader of Chinese expects them: 1小时5分, 2分30秒, 40秒. */
function formatSeconds(seconds: unknown) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—'
  const whole = Math.max(0, Math.round(seconds))
  if (whole >= 3600) return `${Math.floor(whole / 3600)}小时${Math.round((whole % 3600) / 60)}分`
  if (whole >= 60) return `${Math.floor(whole / 60)}分${whole % 60}秒`
  return `${whole}秒`
}

/**
 * A progress bar on stderr for long CLI work (cli-progress). On a terminal it redraws one
 * line; in logs (CI, pipes) it prints a line every few seconds and a last one when done, so
 * the output stays readable.
 */
export function createProgressBar(
  label: string,
  total: number,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
) {
  const startedAt = Date.now()
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {value}/{total} {percentage}% {rate}/秒 剩余约 {eta_formatted}`,
    formatTime: formatSeconds,
    barsize: 30,
    barCompleteChar: '#',
    barIncompleteChar: '-',
    noTTYOutput: true,
    notTTYSchedule: LOG_EVERY_MS,
    // In a log the last line already ends the bar; a terminal needs the newline after it.
    clearOnComplete: !stream.isTTY,
    hideCursor: true,
    gracefulExit: true,
  })
  bar.start(total, 0, { rate: 0 })
  return {
    update(done: number) {
      const seconds = (Date.now() - startedAt) / 1000
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 })
    },
    done() {
      bar.stop()
    },
  }
}
