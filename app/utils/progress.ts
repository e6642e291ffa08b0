/**
 * A progress bar on stderr for long CLI work. On a terminal it redraws one line; in logs
 * (CI, pipes) it prints a line every 10% so the output stays readable.
 */
export function createProgressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
) {
  const startedAt = Date.now()
  let lastDecile = -1
  let lastDraw = 0
  const width = 30

  function render(done: number) {
    const ratio = total > 0 ? Math.min(1, done / total) : 1
    const filled = Math.round(ratio * width)
    const seconds = (Date.now() - startedAt) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : 0
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${(ratio * 100).toFixed(0)}% ${rate}/秒`
  }

  return {
    update(done: number) {
      if (stream.isTTY) {
        const now = Date.now()
        if (now - lastDraw < 100 && done < total) return
        lastDraw = now
        stream.write(`\r${render(done)}`)
        return
      }
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10
      if (decile !== lastDecile) {
        lastDecile = decile
        stream.write(`${render(done)}\n`)
      }
    },
    done() {
      if (stream.isTTY) stream.write(`\r${render(total)}\n`)
    },
  }
}
