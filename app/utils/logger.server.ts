import { pino } from 'pino'

/** The process-wide logger; secrets and cookies are redacted wherever they appear. */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: undefined,
  redact: {
    paths: [
      'req.headers.cookie',
      'req.headers.authorization',
      'res.headers["set-cookie"]',
      'password',
      '*.password',
      'token',
      '*.token',
      'databaseUrl',
    ],
    censor: '[已隐藏]',
  },
})
