import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'

// The layers are lint rules; this proves each rule refuses a wrong arrow (and allows a right one).
const eslint = new ESLint()

async function layerErrors(filePath: string, code: string) {
  const [result] = await eslint.lintText(`${code}\nexport {}\n`, { filePath })
  return (result?.messages ?? []).filter(
    (message) => message.ruleId === 'import-x/no-restricted-paths',
  )
}

describe('import boundaries', () => {
  test.each([
    ['app/utils/probe.server.ts', "import '~/models/user.server'"],
    ['app/utils/probe.server.ts', "import '~/realtime/socket.server'"],
    ['app/domain/probe.ts', "import '~/utils/db.server'"],
    ['app/domain/probe.ts', "import '../../seeds/generator'"],
    ['app/models/probe.server.ts', "import '~/realtime/socket.server'"],
    ['app/models/probe.server.ts', "import '~/server/auth.server'"],
    ['app/routes/probe.tsx', "import '~/utils/db.server'"],
    ['app/components/probe.tsx', "import '~/models/user.server'"],
    ['app/validation/probe.ts', "import '~/models/user.server'"],
    ['search/probe.ts', "import '../app/models/user.server'"],
  ])('%s may not %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toHaveLength(1)
  })

  test.each([
    ['app/models/probe.server.ts', "import '~/realtime/events'"],
    ['app/models/probe.server.ts', "import '~/domain/constants'"],
    ['app/routes/probe.tsx', "import '~/models/user.server'"],
    ['app/utils/probe.server.ts', "import '~/domain/reference'"],
    ['search/probe.ts', "import '../app/domain/reference'"],
  ])('%s may %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([])
  })
})
