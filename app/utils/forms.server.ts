import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'

function badForm() {
  return new Response('无法识别提交的表单，请刷新页面后重试', { status: 400 })
}

/** The posted form; a body that is not form data is a bad request, not a crash. */
export async function readFormData(request: Request) {
  try {
    return await request.formData()
  } catch {
    throw badForm()
  }
}

/**
 * Reads and validates a conform form. conform throws on a tampered `__intent__` field; that,
 * like a body that is not a form, is answered with a 400.
 */
export async function parseForm<Schema extends z.ZodType>(request: Request, schema: Schema) {
  const formData = await readFormData(request)
  try {
    return { formData, submission: parseWithZod(formData, { schema }) }
  } catch {
    throw badForm()
  }
}
