import { describe, expect, test } from 'vitest'

import { buildOpenApiDocument } from './openapi'
import { matchRequestSchema, searchParamsSchema } from './search'
import { statsQuerySchema } from './statistics'

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument('https://market.example')

  test('describes every API route, with parameters taken from the schemas the routes use', () => {
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths)).toEqual([
      '/api/v1/search/{kind}',
      '/api/v1/match',
      '/api/v1/needs/{id}/matches',
      '/api/v1/results/{id}/matches',
      '/api/v1/stats/summary',
      '/api/v1/stats/breakdown/{dimension}',
      '/healthz',
    ])
    const statsNames = document.paths['/api/v1/stats/summary'].get.parameters.map((p) => p.name)
    expect(statsNames).toEqual(Object.keys(statsQuerySchema.shape))
    const names = document.paths['/api/v1/search/{kind}'].get.parameters.map((p) => p.name)
    expect(names).toEqual(['kind', ...Object.keys(searchParamsSchema('results').shape), 'prefix'])
    const body = document.components.schemas.MatchRequest as {
      required: string[]
      properties: Record<string, { maxLength?: number }>
    }
    expect(body.required).toEqual(['title', 'description'])
    expect(Object.keys(body.properties)).toEqual(Object.keys(matchRequestSchema.shape))
    expect(body.properties.description!.maxLength).toBe(5_000)
  })

  test('says what each error looks like, with Chinese descriptions', () => {
    const responses = document.paths['/api/v1/match'].post.responses as Record<
      string,
      { description: string }
    >
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '413', '415', '429', '503'])
    expect(
      Object.values(responses).every((response) => /[\u4e00-\u9fa5]/.test(response.description)),
    ).toBe(true)
  })
})
