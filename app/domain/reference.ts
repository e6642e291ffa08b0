// Typed access to the reference data in ./data, for the app, the seeds and the importer. Plain JSON imports (no import
// attributes) because both tsx and the Remix compiler's esbuild bundle them that way.
import fieldsJson from './data/fields.json'
import institutionsJson from './data/institutions.json'
import regionsJson from './data/regions.json'

export interface SubField {
  code: string
  name: string
}

export interface HighTechField {
  code: string
  name: string
  children: readonly SubField[]
}

export interface FlatSubField extends SubField {
  /** Code of the parent field, e.g. '80' for '804'. */
  fieldCode: string
}

export interface Region {
  code: string
  name: string
}

export type InstitutionKind = 'university' | 'institute'

export interface Institution {
  name: string
  regionCode: string
  kind: InstitutionKind
}

/** The 8 fields of 国家重点支持的高新技术领域 (2016), each with its sub-fields. */
export const highTechFields: readonly HighTechField[] = fieldsJson.fields.map((field) => ({
  code: field.code,
  name: field.name,
  children: field.children.map((child) => ({ code: child.code, name: child.name })),
}))

/** All 52 sub-fields, in code order. */
export const subFields: readonly FlatSubField[] = highTechFields.flatMap((field) =>
  field.children.map((child) => ({ ...child, fieldCode: field.code })),
)

const fieldNames = new Map<string, string>([
  ...highTechFields.map((field) => [field.code, field.name] as const),
  ...subFields.map((subField) => [subField.code, subField.name] as const),
])

/** The name of a field ('80') or sub-field ('804') code; undefined when unknown. */
export function getFieldName(code: string): string | undefined {
  return fieldNames.get(code)
}

/** True for any of the 8 field codes and 52 sub-field codes. */
export function isKnownFieldCode(code: string): boolean {
  return fieldNames.has(code)
}

/** The field code ('80') a field or sub-field code belongs to; undefined when unknown. */
export function getParentFieldCode(code: string): string | undefined {
  if (!fieldNames.has(code)) return undefined
  return code.length === 2 ? code : code.slice(0, 1) + '0'
}

export const xianCity: Region = { code: regionsJson.xian.code, name: regionsJson.xian.name }
export const xianDistricts: readonly Region[] = regionsJson.xian.districts
export const xianZones: readonly string[] = regionsJson.xianZones.zones
export const shaanxiCities: readonly Region[] = regionsJson.shaanxiCities
export const otherCities: readonly Region[] = regionsJson.otherCities

function toInstitutionKind(kind: string): InstitutionKind {
  if (kind === 'university' || kind === 'institute') return kind
  throw new Error(`institutions.json: unknown kind ${kind}`)
}

/** Real universities and research institutes (universities first). */
export const institutions: readonly Institution[] = [
  ...institutionsJson.universities,
  ...institutionsJson.institutes,
].map((institution) => ({
  name: institution.name,
  regionCode: institution.regionCode,
  kind: toInstitutionKind(institution.kind),
}))

const regionNames = new Map<string, string>(
  [xianCity, ...xianDistricts, ...shaanxiCities, ...otherCities].map(
    (region) => [region.code, region.name] as const,
  ),
)

/**
 * The name of a region code: a Xi'an district or a listed city. A district-level code
 * of another listed city (610403, 110108) falls back to that city's name; undefined when unknown.
 */
export function getRegionName(code: string): string | undefined {
  return (
    regionNames.get(code) ??
    regionNames.get(code.slice(0, 4) + '00') ??
    // Municipalities (北京市 110000) are listed at province level.
    regionNames.get(code.slice(0, 2) + '0000')
  )
}

/** Region choices for forms: Xi'an districts first, then Shaanxi, then elsewhere. */
export const regionGroups: readonly { label: string; regions: readonly Region[] }[] = [
  { label: '西安市', regions: xianDistricts },
  { label: '陕西省其他市', regions: shaanxiCities.filter((city) => city.code !== xianCity.code) },
  { label: '省外', regions: otherCities },
]
