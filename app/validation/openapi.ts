import { z } from 'zod'

import { STAT_DIMENSION_NAMES } from '~/domain/statistics'

import { matchRequestSchema, SEARCH_KINDS, searchParamsSchema } from './search'
import { statsQuerySchema } from './statistics'

/**
 * The OpenAPI 3.1 description of the JSON API, generated from the Zod schemas the routes
 * validate with: what the document says a parameter accepts is what the route accepts.
 * Served at /api/v1/openapi.json and rendered for people at /developers.
 */

const PARAMETER_NOTES: Record<string, string> = {
  q: '搜索词：中文、英文、型号或拼音（全拼或首字母）；为空时按发布时间列出全部',
  field: '技术领域代码：两位为领域（如 80），三位为子领域（如 804）',
  trl: '技术成熟度不低于该级（1–9），仅科技成果',
  region: '所在区县的 6 位行政区划代码',
  local: '只看西安本地（true）或外地（false）',
  mode: '科技成果的转化方式或技术需求的合作方式',
  band: '价格（成果）或预算（需求）区间',
  sort: '排序：relevance 相关度、newest 最新、amount 金额从高到低',
  page: '页码，从 1 开始',
  limit: '每页条数，1–100',
  prefix: '为 true 时把最后一个词当作前缀（边输入边搜索）',
}

const schemaOf = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>
  return rest
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message'],
      properties: {
        message: { type: 'string', description: '中文说明' },
        field: { type: 'string', description: '出错的参数或字段' },
      },
    },
  },
}

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

const matchHitSchema = {
  type: 'object',
  required: ['kind', 'id', 'title', 'score', 'reasons'],
  properties: {
    kind: { type: 'string', enum: ['result', 'expert', 'need'] },
    id: { type: 'string' },
    title: { type: 'string' },
    orgName: { type: 'string' },
    score: { type: 'number', minimum: 0, maximum: 1, description: '综合匹配度' },
    url: { type: 'string' },
    reasons: {
      type: 'object',
      description: '匹配理由',
      properties: {
        terms: { type: 'array', items: { type: 'string' }, description: '命中的关键词' },
        field: {
          type: 'object',
          properties: {
            code: { type: ['string', 'null'] },
            fit: { type: 'string', enum: ['same', 'related', 'different', 'unknown'] },
            inferred: { type: 'boolean', description: '需求未注明领域，据描述推断' },
          },
        },
        budget: {
          type: 'object',
          properties: {
            fit: { type: 'string', enum: ['within', 'near', 'over', 'unknown'] },
            price: { type: ['number', 'null'] },
            budget: { type: ['number', 'null'] },
          },
        },
        locality: {
          type: 'object',
          properties: { local: { type: 'boolean' }, region: { type: 'string' } },
        },
        trl: {
          type: 'object',
          properties: {
            level: { type: 'integer' },
            fit: { type: 'string', enum: ['mature', 'pilot', 'early'] },
          },
        },
        record: { type: 'object', properties: { deals: { type: 'integer' } } },
        topic: {
          type: 'object',
          description: '主题相似度：在平台成果与需求学得的潜在语义空间中的余弦（内置引擎）',
          properties: { similarity: { type: 'number', minimum: 0, maximum: 1 } },
        },
      },
    },
  },
}

const searchResponseSchema = {
  type: 'object',
  required: ['hits', 'total', 'facets'],
  properties: {
    hits: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          snippet: { type: 'string' },
          orgName: { type: 'string' },
          score: { type: 'number', minimum: 0, maximum: 1 },
          url: { type: 'string' },
          matched: { type: 'array', items: { type: 'string' } },
          highlights: {
            type: 'object',
            description: '命中词在 title、snippet 中的位置 [起, 止)',
            properties: {
              title: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
              snippet: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
            },
          },
        },
      },
    },
    total: { type: 'integer' },
    facets: {
      type: 'object',
      description: '各分面取值的计数（对全部结果统计）',
      additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    },
    page: { type: 'integer' },
    limit: { type: 'integer' },
  },
}

function queryParameters() {
  // The parameters of the widest kind (results); the others accept a subset.
  const shape = schemaOf(searchParamsSchema('results')) as {
    properties: Record<string, Record<string, unknown>>
  }
  return [
    ...Object.entries(shape.properties).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      description: PARAMETER_NOTES[name],
      schema,
    })),
    {
      name: 'prefix',
      in: 'query',
      required: false,
      description: PARAMETER_NOTES.prefix,
      schema: { type: 'string', enum: ['true', 'false'] },
    },
  ]
}

const STATS_PARAMETER_NOTES: Record<string, string> = {
  year: '年份；不填为本年。可再加 quarter（1–4）或 month（1–12）之一',
  quarter: '季度 1–4（须同时填写 year）',
  month: '月份 1–12（须同时填写 year）',
  from: '起始月份 YYYY-MM（与 to 同时填写，不与 year 同用）',
  to: '结束月份 YYYY-MM（含），不早于 from，区间不超过 30 年',
  scope: '“本地”的范围：city 西安市（6101，默认）或 province 陕西省（61）',
  field: '技术领域：两位领域代码，如 80',
  contractType: '合同类别',
  sellerKind: '卖方类型',
  sellerRegion: '卖方所在区县的 6 位行政区划代码（签约时记下的）',
  buyerRegion: '买方所在区县的 6 位行政区划代码（签约时记下的）',
}

function statsParameters() {
  const shape = schemaOf(statsQuerySchema) as {
    properties: Record<string, Record<string, unknown>>
  }
  return Object.entries(shape.properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    description: STATS_PARAMETER_NOTES[name],
    schema,
  }))
}

const amountCount = {
  type: 'object',
  properties: { amount: { type: 'number' }, count: { type: 'integer' } },
}

const statsFiltersSchema = {
  type: 'object',
  description: '实际采用的筛选条件（period 为起止月份，含两端）',
  properties: {
    period: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' } },
    },
    scope: { type: 'string', enum: ['city', 'province'] },
  },
  additionalProperties: true,
}

const statsFiguresSchema = {
  type: 'object',
  description: '按登记（及以后状态）的技术合同计算；金额单位为元',
  properties: {
    contractAmount: { type: 'number', description: '技术合同成交额' },
    count: { type: 'integer', description: '合同份数' },
    techTransactionAmount: { type: 'number', description: '技术交易额' },
    output: { ...amountCount, description: '输出：卖方在本地' },
    absorbed: { ...amountCount, description: '吸纳：买方在本地' },
    conversion: {
      type: 'object',
      description: '科技成果就地转化率：卖方为本地高校院所的合同中买方在本地的比例',
      properties: {
        totalAmount: { type: 'number' },
        localAmount: { type: 'number' },
        totalCount: { type: 'integer' },
        localCount: { type: 'integer' },
        byValue: { type: ['number', 'null'] },
        byCount: { type: ['number', 'null'] },
      },
    },
  },
}

const statsErrors = {
  '400': error('参数有误（如月份格式、起止颠倒、未知参数），message 指明参数'),
  '401': error('未登录，或访问令牌无效、过期或已撤销'),
  '403': error('账号不是科技局（或管理员）'),
  '429': error('请求过于频繁（响应头 Retry-After 给出秒数）'),
}

const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
})

const matchesContent = {
  'application/json': { schema: { $ref: '#/components/schemas/Matches' } },
}

const common = {
  '401': error('访问令牌无效、过期或已撤销'),
  '429': error('请求过于频繁（响应头 Retry-After 给出秒数）'),
  '503': error('搜索索引正在建立或搜索服务暂不可用'),
}

export function buildOpenApiDocument(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: '西安科技大市场 API',
      version: '1',
      description:
        '检索已公开的科技成果、技术需求和专家，并为一项需求匹配成果与专家。公开接口可匿名调用（按来源地址限流）；带访问令牌（Authorization: Bearer xmk_…，由 npm run cli -- token create 签发）时按令牌限流，并可查看令牌所属账号有权查看的未公开信息的匹配。',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{}, { bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: errorSchema,
        MatchRequest: schemaOf(matchRequestSchema),
        MatchHit: matchHitSchema,
        Matches: {
          type: 'object',
          required: ['hits'],
          properties: { hits: { type: 'array', items: { $ref: '#/components/schemas/MatchHit' } } },
        },
        SearchResponse: searchResponseSchema,
      },
    },
    paths: {
      '/api/v1/search/{kind}': {
        get: {
          summary: '检索科技成果、技术需求或专家',
          description:
            '中文分词检索（词中之词、同义词、繁体、全角、拼音与首字母均可命中），带分面计数、排序与分页。参数有误时返回 400 并指明参数。',
          parameters: [
            {
              name: 'kind',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: [...SEARCH_KINDS] },
            },
            ...queryParameters(),
          ],
          responses: {
            '200': {
              description: '检索结果',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } },
              },
            },
            '400': error('参数有误'),
            '404': error('没有这类检索'),
            ...common,
          },
        },
      },
      '/api/v1/match': {
        post: {
          summary: '为一项需求匹配科技成果与专家',
          description:
            '提交需求（JSON，金额单位为元，请求体不超过 32 KB），返回按综合匹配度排序的成果与专家及匹配理由。',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/MatchRequest' } },
            },
          },
          responses: {
            '200': {
              description: '匹配结果',
              content: matchesContent,
            },
            '400': error('请求体字段有误或不是有效的 JSON'),
            '413': error('请求体超过 32 KB'),
            '415': error('请求体不是 application/json'),
            ...common,
          },
        },
      },
      '/api/v1/needs/{id}/matches': {
        get: {
          summary: '一项技术需求的匹配成果与专家',
          parameters: [idParameter('技术需求的 id')],
          responses: {
            '200': {
              description: '匹配结果',
              content: matchesContent,
            },
            '404': error('需求不存在或无权查看'),
            ...common,
          },
        },
      },
      '/api/v1/results/{id}/matches': {
        get: {
          summary: '一项科技成果可能解决的技术需求',
          parameters: [idParameter('科技成果的 id')],
          responses: {
            '200': {
              description: '匹配结果',
              content: matchesContent,
            },
            '404': error('科技成果不存在或无权查看'),
            ...common,
          },
        },
      },
      '/api/v1/stats/summary': {
        get: {
          summary: '技术合同统计：总量、输出、吸纳与就地转化率',
          description: '科技局账号（会话或访问令牌）可用。筛选条件与统计看板相同。',
          parameters: statsParameters(),
          responses: {
            '200': {
              description: '统计数字',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { filters: statsFiltersSchema, figures: statsFiguresSchema },
                  },
                },
              },
            },
            ...statsErrors,
          },
        },
      },
      '/api/v1/stats/breakdown/{dimension}': {
        get: {
          summary: '技术合同统计：按一个维度分解',
          description: '各行之和等于同样筛选条件下的总量。月份按时间排序，其余按成交额从高到低。',
          parameters: [
            {
              name: 'dimension',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: STAT_DIMENSION_NAMES },
            },
            ...statsParameters(),
          ],
          responses: {
            '200': {
              description: '分解结果',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      dimension: { type: 'string' },
                      dimensionLabel: { type: 'string' },
                      filters: statsFiltersSchema,
                      rows: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            key: {
                              type: 'string',
                              description: '取值（空字符串表示未填写或无），可作为筛选条件',
                            },
                            label: { type: 'string' },
                            contractAmount: { type: 'number' },
                            techTransactionAmount: { type: 'number' },
                            count: { type: 'integer' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            '404': error('没有这个统计维度'),
            ...statsErrors,
          },
        },
      },
      '/healthz': {
        get: {
          summary: '服务健康状况',
          security: [{}],
          responses: {
            '200': {
              description: '数据库可用；search 字段给出搜索引擎、索引是否就绪、待处理变更与文档数',
            },
            '503': { description: '数据库不可用' },
          },
        },
      },
    },
  }
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>
