import { logger } from '~/utils/logger.server'

/**
 * After start-up, an error that escapes one request's or one socket's handler must not take
 * every other visitor's connection (and the supervised database) down with it: it is logged
 * and the process carries on. Before the server is up, the same error means start-up failed:
 * `onFatal` cleans up and exits non-zero.
 */
export function installProcessSafety(options: { onFatal: (error: unknown) => void }) {
  let started = false
  const onEscaped = (kind: string) => (error: unknown) => {
    if (!started) {
      logger.fatal({ err: error }, `服务器启动失败（${kind}）`)
      options.onFatal(error)
      return
    }
    logger.error({ err: error }, `${kind}：已记录，服务器继续运行`)
  }
  process.on('uncaughtException', onEscaped('未捕获的异常'))
  process.on('unhandledRejection', onEscaped('未处理的 Promise 拒绝'))
  return {
    markStarted() {
      started = true
    },
  }
}
