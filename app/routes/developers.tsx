import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { buildOpenApiDocument } from '~/validation/openapi'

/** The API reference for people: the same OpenAPI document, as tables and examples. */
export function loader({ request }: LoaderFunctionArgs) {
  const origin = new URL(request.url).origin
  return json({ origin, document: buildOpenApiDocument(origin) })
}

interface Schema {
  type?: string | string[]
  enum?: unknown[]
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  default?: unknown
  items?: Schema
  $ref?: string
}

/** A schema in a few words: type, allowed values, bounds. */
function describeSchema(schema: Schema | undefined): string {
  if (!schema) return ''
  if (schema.$ref) return schema.$ref.split('/').at(-1) ?? ''
  const parts: string[] = []
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type
  if (type === 'array' && schema.items) parts.push(`${describeSchema(schema.items)} 数组`)
  else if (type) parts.push(type)
  if (schema.enum) parts.push(`取值：${schema.enum.join('、')}`)
  if (schema.pattern) parts.push(`格式：${schema.pattern}`)
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    parts.push(`长度 ${schema.minLength ?? 0}–${schema.maxLength ?? '∞'}`)
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    parts.push(`范围 ${schema.minimum ?? '−∞'}–${schema.maximum ?? '∞'}`)
  if (schema.default !== undefined) parts.push(`默认 ${String(schema.default)}`)
  return parts.join('；')
}

const EXAMPLES: Record<string, (origin: string) => string> = {
  '/api/v1/search/{kind}': (origin) =>
    `curl '${origin}/api/v1/search/results?q=%E7%9F%B3%E5%A2%A8%E7%83%AF&field=40&limit=5'`,
  '/api/v1/match': (origin) =>
    `curl -X POST '${origin}/api/v1/match' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"title":"寻求锂电池回收技术","description":"大量退役动力电池需要高效拆解与材料回收","budgetMax":800000}'`,
  '/api/v1/needs/{id}/matches': (origin) =>
    `curl -H 'Authorization: Bearer xmk_…' '${origin}/api/v1/needs/<需求 id>/matches'`,
  '/api/v1/results/{id}/matches': (origin) => `curl '${origin}/api/v1/results/<成果 id>/matches'`,
  '/healthz': (origin) => `curl '${origin}/healthz'`,
}

export default function DevelopersPage() {
  const { origin, document } = useLoaderData<typeof loader>()
  const matchRequest = document.components.schemas.MatchRequest as {
    properties: Record<string, Schema>
    required?: string[]
  }
  return (
    <div className="stack">
      <h1>开放接口（API）参考</h1>
      <p>{document.info.description}</p>
      <p>
        机器可读的描述（OpenAPI 3.1）：
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>。错误统一返回{' '}
        <code>{'{"error": {"message": "中文说明", "field": "出错的参数"}}'}</code> 与 4xx 状态码。
      </p>
      {Object.entries(document.paths).map(([path, methods]) =>
        Object.entries(methods as Record<string, Record<string, unknown>>).map(
          ([method, operation]) => {
            const parameters = (operation.parameters ?? []) as {
              name: string
              in: string
              required: boolean
              description?: string
              schema: Schema
            }[]
            const responses = operation.responses as Record<string, { description: string }>
            const id = `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-')
            return (
              <section key={id} className="card stack" aria-labelledby={id}>
                <h2 id={id}>
                  <code>
                    {method.toUpperCase()} {path}
                  </code>
                </h2>
                <p>
                  <strong>{String(operation.summary)}</strong>
                  {operation.description ? `：${String(operation.description)}` : ''}
                </p>
                {parameters.length > 0 ? (
                  <div className="table-scroll">
                    <table className="table">
                      <caption className="visually-hidden">参数</caption>
                      <thead>
                        <tr>
                          <th scope="col">参数</th>
                          <th scope="col">位置</th>
                          <th scope="col">说明</th>
                          <th scope="col">取值</th>
                        </tr>
                      </thead>
                      <tbody>
                        {parameters.map((parameter) => (
                          <tr key={parameter.name}>
                            <td>
                              <code>{parameter.name}</code>
                              {parameter.required ? '（必填）' : ''}
                            </td>
                            <td>{parameter.in === 'path' ? '路径' : '查询'}</td>
                            <td>{parameter.description ?? ''}</td>
                            <td>{describeSchema(parameter.schema)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : null}
                {operation.requestBody ? (
                  <div className="table-scroll">
                    <table className="table">
                      <caption>请求体（JSON）</caption>
                      <thead>
                        <tr>
                          <th scope="col">字段</th>
                          <th scope="col">取值</th>
                        </tr>
                      </thead>
                      <tbody>
                        {Object.entries(matchRequest.properties).map(([name, schema]) => (
                          <tr key={name}>
                            <td>
                              <code>{name}</code>
                              {matchRequest.required?.includes(name) ? '（必填）' : ''}
                            </td>
                            <td>{describeSchema(schema)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : null}
                <dl className="facts">
                  {Object.entries(responses).map(([status, response]) => (
                    <div key={status}>
                      <dt>{status}</dt>
                      <dd>{response.description}</dd>
                    </div>
                  ))}
                </dl>
                {EXAMPLES[path] ? (
                  <pre className="code-example">
                    <code>{EXAMPLES[path](origin)}</code>
                  </pre>
                ) : null}
              </section>
            )
          },
        ),
      )}
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '开放接口参考 · 西安科技大市场' }]
