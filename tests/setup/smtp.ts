import net from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  headers: string
  /** The decoded text body. */
  text: string
}

function decodeBody(headers: string, body: string) {
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase()
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return body
}

/**
 * A real SMTP server on a free local port that accepts every message (no TLS, no auth), for
 * tests that send mail through nodemailer exactly as production does.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = []
  const listeners = new Set<() => void>()
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8')
    let buffer = ''
    let data: string[] | null = null
    let envelope = { from: '', to: [] as string[] }
    socket.write('220 localhost ESMTP test\r\n')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (data) {
          if (line !== '.') {
            data.push(line.startsWith('..') ? line.slice(1) : line)
            continue
          }
          const raw = data.join('\r\n')
          const split = raw.indexOf('\r\n\r\n')
          const headers = raw.slice(0, split)
          received.push({ ...envelope, headers, text: decodeBody(headers, raw.slice(split + 4)) })
          for (const listener of listeners) listener()
          data = null
          envelope = { from: '', to: [] }
          socket.write('250 OK queued\r\n')
          continue
        }
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 localhost\r\n')
        else if (verb === 'MAIL') {
          envelope.from = line.slice(10)
          socket.write('250 OK\r\n')
        } else if (verb === 'RCPT') {
          envelope.to.push(line.slice(8))
          socket.write('250 OK\r\n')
        } else if (verb === 'DATA') {
          data = []
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n')
        } else if (verb === 'QUIT') {
          socket.end('221 Bye\r\n')
        } else if (verb === 'RSET' || verb === 'NOOP') socket.write('250 OK\r\n')
        else socket.write('502 Command not implemented\r\n')
      }
    })
    socket.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The first message to `address`, waiting for it up to `timeoutMs`. */
    waitForMail(address: string, timeoutMs = 5000) {
      const find = () => received.find((mail) => mail.to.some((to) => to.includes(address)))
      return new Promise<ReceivedMail>((resolve, reject) => {
        const found = find()
        if (found) return resolve(found)
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`${timeoutMs} ms 内没有收到发往 ${address} 的邮件`))
        }, timeoutMs)
        function check() {
          const mail = find()
          if (!mail) return
          clearTimeout(timer)
          listeners.delete(check)
          resolve(mail)
        }
        listeners.add(check)
      })
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
