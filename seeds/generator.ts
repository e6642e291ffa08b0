// Deterministic demo data for the technology market: organizations, experts, results, needs
// and deals. Everything derives from a seeded PRNG and an injectable `now`, so a seed always
// yields the same market (tests, screenshots and search benchmarks depend on that). The words
// are data in ./vocabulary, grouped by topic; this file decides how they are put together.
import { isRegisteredDealStatus, isResearchOrgKind, LOCAL_CITY_PREFIX } from '~/domain/constants'
import { completeCreditCode } from '~/domain/credit-code'
import { computePatentCheckDigit } from '~/domain/patent-number'
import {
  getFieldName,
  institutions,
  otherCities,
  shaanxiCities,
  subFields,
  xianCity,
  xianDistricts,
  xianZones,
} from '~/domain/reference'

import {
  FIGURE_SLOT,
  getIndustryTopics,
  getTopics,
  organizationVocabulary,
  peopleVocabulary,
  phraseVocabulary,
  type Topic,
  type TopicKind,
} from './vocabulary'

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type OrgKind = 'university' | 'institute' | 'enterprise' | 'broker_agency' | 'government'
export type OrgSize = 'micro' | 'small' | 'medium' | 'large'
export type IpType =
  | 'invention_patent'
  | 'utility_model'
  | 'design_patent'
  | 'software_copyright'
  | 'ic_layout'
  | 'plant_variety'
  | 'technical_secret'
  | 'none'
export type TransferMode = 'transfer' | 'license' | 'equity' | 'co_development'
export type ResultStatus = 'draft' | 'pending_review' | 'published' | 'expired' | 'transferred'
export type CooperationMode =
  'commissioned_development' | 'co_development' | 'transfer' | 'license' | 'consulting' | 'service'
export type NeedStatus = 'draft' | 'pending_review' | 'open' | 'closed' | 'solved'
export type ContractType = 'development' | 'transfer' | 'license' | 'consulting' | 'service'
export type DealSeedStatus =
  'intent' | 'negotiating' | 'signed' | 'registered' | 'performing' | 'completed' | 'cancelled'

export interface OrgSeed {
  externalId: string
  name: string
  kind: OrgKind
  creditCode: string | null
  regionCode: string
  zone: string | null
  highTech: boolean
  littleGiant: boolean
  size: OrgSize | null
  industry: string | null
}

export interface ExpertSeed {
  externalId: string
  name: string
  title: string
  orgExternalId: string
  fields: string[]
  keywords: string[]
  bio: string
}

export interface ResultSeed {
  externalId: string
  title: string
  summary: string
  description: string
  fieldCode: string
  keywords: string[]
  trl: number
  ipType: IpType | null
  patentNos: string[]
  transferModes: TransferMode[]
  askingPrice: number | null
  status: ResultStatus
  orgExternalId: string
  leadExpertExternalId: string | null
  confirmedAt: Date
  expiresAt: Date
  publishedAt: Date | null
  createdAt: Date
}

export interface NeedSeed {
  externalId: string
  title: string
  description: string
  fieldCode: string
  keywords: string[]
  budgetMin: number | null
  budgetMax: number | null
  deadline: Date | null
  cooperationModes: CooperationMode[]
  status: NeedStatus
  orgExternalId: string
  confirmedAt: Date
  expiresAt: Date
  publishedAt: Date | null
  createdAt: Date
}

export interface DealSeed {
  externalId: string
  title: string
  contractType: ContractType
  subType: string
  sellerOrgExternalId: string
  buyerOrgExternalId: string
  contractAmount: number
  techTransactionAmount: number
  status: DealSeedStatus
  signedAt: Date | null
  registeredAt: Date | null
  registrationNo: string | null
  fieldCode: string
  sellerRegionCode: string
  buyerRegionCode: string
  resultExternalId: string | null
  needExternalId: string | null
  createdAt: Date
}

export interface DemoData {
  organizations: OrgSeed[]
  experts: ExpertSeed[]
  results: ResultSeed[]
  needs: NeedSeed[]
  deals: DealSeed[]
}

export interface DemoDataOptions {
  seed?: number
  now?: Date
  enterprises?: number
  experts?: number
  results?: number
  needs?: number
  deals?: number
  /** Contracts a year in the city's registry besides the platform's deals (0: none). */
  registryPerYear?: number
  /** Years of registry, ending with the current one. */
  registryYears?: number
}

export const DEFAULT_SEED = 20261101
/** Fixed default clock, so a seed alone pins the data (seed.server passes no `now`). */
export const DEFAULT_NOW = new Date('2026-11-01T00:00:00+08:00')

const DEFAULT_COUNTS = { enterprises: 80, experts: 150, results: 300, needs: 200, deals: 400 }

const DAY_MS = 86_400_000

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

type Rng = () => number

/** mulberry32: tiny, fast and good enough for demo data. */
function mulberry32(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Each section gets its own stream, so changing one count does not reshuffle the others.
function streamFor(seed: number, salt: string): Rng {
  let hash = (seed ^ 0x811c9dc5) >>> 0
  for (let i = 0; i < salt.length; i++) {
    hash = Math.imul(hash ^ salt.charCodeAt(i), 0x01000193) >>> 0
  }
  return mulberry32(hash)
}

function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

function randFloat(rng: Rng, min: number, max: number, digits: number): string {
  return (min + rng() * (max - min)).toFixed(digits)
}

function chance(rng: Rng, p: number): boolean {
  return rng() < p
}

/** A defined element of a non-empty array (throws on an empty one, which is a bug here). */
function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)]
  if (item === undefined) throw new Error('pick() from an empty array')
  return item
}

function weighted<T>(rng: Rng, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = rng() * total
  for (const [value, weight] of entries) {
    roll -= weight
    if (roll < 0) return value
  }
  const last = entries[entries.length - 1]
  if (!last) throw new Error('weighted() from an empty list')
  return last[0]
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const a = copy[i] as T
    copy[i] = copy[j] as T
    copy[j] = a
  }
  return copy
}

/** Up to `count` distinct elements, in random order. */
function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  return shuffle(rng, items).slice(0, Math.max(0, Math.min(count, items.length)))
}

function logUniform(rng: Rng, min: number, max: number): number {
  return Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min)))
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step)
}

/** Yuan amounts: always whole hundreds, often whole thousands or 万 as real contracts are. */
function roundAmount(rng: Rng, value: number): number {
  const step =
    value >= 100_000
      ? weighted(rng, [
          [10_000, 6],
          [1000, 3],
          [100, 1],
        ] as const)
      : weighted(rng, [
          [1000, 6],
          [100, 4],
        ] as const)
  return roundTo(value, step)
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function addDays(date: Date, days: number): Date {
  // Whole seconds keep the data readable when printed and stable through JSON.
  return new Date(Math.floor((date.getTime() + days * DAY_MS) / 1000) * 1000)
}

function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b
}

/** The calendar year in China (UTC+8), as registration numbers use it. */
function chinaYear(date: Date): number {
  return new Date(date.getTime() + 8 * 3600_000).getUTCFullYear()
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max)
}

function uniq<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}

function without<T>(items: readonly T[], taken: readonly T[]): T[] {
  return items.filter((item) => !taken.includes(item))
}

// ---------------------------------------------------------------------------------------------
// Words and sentences
// ---------------------------------------------------------------------------------------------

type Gen = (rng: Rng) => string

const { industries, localBrands, brands, companySuffixes } = organizationVocabulary
const { districtWeights, zoneDistricts, zoneWeights, institutionFields, institutionWeights } =
  organizationVocabulary
const { surnames, givenChars, universityTitles, instituteTitles } = peopleVocabulary

/** Like `weighted`, for templates that only fit some products (weight 0 means "not this one"). */
function choose(rng: Rng, entries: readonly (readonly [Gen, number])[]): string {
  return weighted(
    rng,
    entries.filter(([, weight]) => weight > 0),
  )(rng)
}

/** Large counts are stated round, as people write them ("50000小时", not "49861小时"). */
function roundFigure(value: number): number {
  const step = value >= 10_000 ? 1000 : value >= 1000 ? 100 : 1
  return Math.round(value / step) * step
}

/** Fills the `{a-b}` / `{a-b:d}` slots of a figure spec with seeded numbers. */
function fillSpec(rng: Rng, spec: string): string {
  return spec.replace(FIGURE_SLOT, (_match, low: string, high: string, digits?: string) =>
    digits
      ? randFloat(rng, Number(low), Number(high), Number(digits))
      : String(roundFigure(randInt(rng, Number(low), Number(high)))),
  )
}

/** "集成X技术", but not "集成X技术技术". */
function asTechnique(method: string): string {
  return /(技术|工艺)$/.test(method) ? method : `${method}技术`
}

/** Appends a contract suffix without doubling "技术" ("…技术" + "技术服务合同"). */
function withSuffix(base: string, suffix: string): string {
  return base.endsWith('技术') && suffix.startsWith('技术') ? base + suffix.slice(2) : base + suffix
}

function hasTopics(fieldCode: string): boolean {
  return subFields.some((subField) => subField.code === fieldCode)
}

/** A product that is mostly bought abroad today, so "国产化替代" and import problems fit it. */
function importProblemOf(topic: Topic): string | undefined {
  return topic.problems.find((problem) => /依赖(进口|国外)/.test(problem))
}

/** One product of a topic with the methods and applications a listing about it names. */
interface Subject {
  topic: Topic
  product: string
  methods: string[]
  apps: string[]
}

function subjectOf(rng: Rng, topic: Topic): Subject {
  const product = pick(rng, topic.products)
  // Not "皮革清洁鞣制技术在皮革中的应用": applications the name already states are left out.
  const apps = topic.apps.filter((app) => !product.includes(app))
  return {
    topic,
    product,
    methods: sample(rng, topic.methods, 2),
    apps: sample(rng, apps.length >= 2 ? apps : topic.apps, 2),
  }
}

/**
 * Draws subjects until `titleOf` gives a title the organization has not used yet, so that one
 * institution never lists two results (or one enterprise two needs) under the same name.
 * `nextTopic` is asked again on every attempt; after many attempts a repeat is accepted, which
 * only happens when a stream asks one organization for thousands of listings.
 */
function uniqueSubject(
  rng: Rng,
  used: Set<string>,
  nextTopic: (attempt: number) => Topic,
  titleOf: (subject: Subject) => string,
): { subject: Subject; title: string } {
  for (let attempt = 0; ; attempt++) {
    const subject = subjectOf(rng, nextTopic(attempt))
    const title = titleOf(subject)
    if (!used.has(title) || attempt >= 60) {
      used.add(title)
      return { subject, title }
    }
  }
}

// Words that depend on what kind of thing a listing is about.
const KIND_WORDS: Record<TopicKind, { made: string; sample: string; existing: string }> = {
  software: { made: '开发了', sample: '原型系统', existing: '现有系统' },
  device: { made: '研制了', sample: '原理样机', existing: '现有设备' },
  component: { made: '研制了', sample: '样品', existing: '现有产品' },
  material: { made: '研制出', sample: '样品', existing: '现有产品' },
  process: { made: '形成了', sample: '工艺', existing: '现有工艺' },
  service: { made: '构建了', sample: '服务方案', existing: '' },
  variety: { made: '选育出', sample: '品系', existing: '现有品种' },
}

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------
const ALL_SUB_FIELD_CODES = subFields.map((subField) => subField.code)

function fieldsOfInstitution(name: string): readonly string[] {
  return institutionFields[name] ?? ALL_SUB_FIELD_CODES
}

const CODE_LETTERS = 'ABCDEFGHJKLMNPQRTUWXY'

function creditCodeFor(rng: Rng, prefix: string, regionCode: string, used: Set<string>): string {
  for (;;) {
    let body = ''
    for (let i = 0; i < 8; i++) {
      // Organization code bodies are mostly digits; letters appear in newer allocations.
      body += chance(rng, 0.8) ? String(randInt(rng, 0, 9)) : pick(rng, [...CODE_LETTERS])
    }
    const code = completeCreditCode(prefix + regionCode + body)
    if (!used.has(code)) {
      used.add(code)
      return code
    }
  }
}

interface EnterpriseProfile {
  org: OrgSeed
  topics: readonly Topic[]
}

function cityShortName(name: string): string {
  return name.replace(/市$/, '')
}

function generateOrganizations(rng: Rng, enterpriseCount: number) {
  const usedCodes = new Set<string>()
  const organizations: OrgSeed[] = []
  const orgFields = new Map<string, readonly string[]>()
  // What each organization works on, so deals pair parties and subjects that fit each other.
  const orgTopics = new Map<string, readonly Topic[]>()

  let universityNo = 0
  let instituteNo = 0
  for (const institution of institutions) {
    const externalId =
      institution.kind === 'university'
        ? `org-u-${pad(++universityNo, 3)}`
        : `org-i-${pad(++instituteNo, 3)}`
    organizations.push({
      externalId,
      name: institution.name,
      kind: institution.kind,
      // 事业单位 register with authority 1, category 2.
      creditCode: creditCodeFor(rng, '12', institution.regionCode, usedCodes),
      regionCode: institution.regionCode,
      zone: null,
      highTech: false,
      littleGiant: false,
      size: null,
      industry: null,
    })
    orgFields.set(externalId, fieldsOfInstitution(institution.name))
    orgTopics.set(externalId, fieldsOfInstitution(institution.name).flatMap(getTopics))
  }

  const usedNames = new Set(organizations.map((org) => org.name))
  const enterprises: EnterpriseProfile[] = []
  const otherShaanxi = shaanxiCities.filter((city) => city.code !== xianCity.code)
  const districtEntries = xianDistricts.map(
    (district) => [district.code, districtWeights[district.code] ?? 2] as const,
  )
  const zoneEntries = xianZones.map((zone) => [zone, zoneWeights[zone] ?? 1] as const)

  for (let i = 0; i < enterpriseCount; i++) {
    const industry = weighted(
      rng,
      industries.map((entry) => [entry, entry.weight] as const),
    )
    // About a fifth sit outside Xi'an, so the market has out-of-town buyers.
    const location = weighted(rng, [
      ['xian', 80],
      ['shaanxi', 10],
      ['other', 10],
    ] as const)
    let regionCode: string
    let zone: string | null = null
    let placePrefixes: readonly string[]
    if (location === 'xian') {
      if (chance(rng, 0.5) && zoneEntries.length > 0) {
        zone = weighted(rng, zoneEntries)
        const district = zoneDistricts[zone]
        regionCode =
          district && xianDistricts.some((d) => d.code === district)
            ? district
            : weighted(rng, districtEntries)
      } else {
        regionCode = weighted(rng, districtEntries)
      }
      placePrefixes = ['西安', '西安', '陕西']
    } else {
      const city = pick(
        rng,
        location === 'shaanxi' && otherShaanxi.length > 0 ? otherShaanxi : otherCities,
      )
      regionCode = city.code
      placePrefixes =
        location === 'shaanxi'
          ? [cityShortName(city.name), cityShortName(city.name), '陕西']
          : [cityShortName(city.name)]
    }

    let name = ''
    for (let attempt = 0; attempt < 200; attempt++) {
      const place = pick(rng, placePrefixes)
      const brandPool = place === '西安' || place === '陕西' ? [...localBrands, ...brands] : brands
      const candidate = `${place}${pick(rng, brandPool)}${pick(rng, industry.words)}${weighted(rng, companySuffixes)}`
      if (!usedNames.has(candidate)) {
        name = candidate
        break
      }
    }
    if (!name)
      name = `${pick(rng, placePrefixes)}${pick(rng, brands)}${industry.words[0] ?? '科技'}${i + 1}号有限公司`
    usedNames.add(name)

    const size = weighted(rng, [
      ['micro', 15],
      ['small', 40],
      ['medium', 30],
      ['large', 15],
    ] as const)
    const highTech = chance(rng, size === 'micro' ? 0.35 : 0.65)
    const littleGiant = highTech && size !== 'large' && chance(rng, 0.2)
    const externalId = `org-e-${pad(i + 1, 3)}`
    const org: OrgSeed = {
      externalId,
      name,
      kind: 'enterprise',
      creditCode: creditCodeFor(rng, '91', regionCode, usedCodes),
      regionCode,
      zone,
      highTech,
      littleGiant,
      size,
      industry: industry.label,
    }
    organizations.push(org)
    const topics = getIndustryTopics(industry)
    enterprises.push({ org, topics })
    orgFields.set(externalId, industry.fields)
    orgTopics.set(externalId, topics)
  }

  organizations.push(
    {
      externalId: 'org-b-001',
      name: '西安科技大市场技术转移服务中心',
      kind: 'broker_agency',
      creditCode: creditCodeFor(rng, '12', '610113', usedCodes),
      regionCode: '610113',
      zone: xianZones.includes('西安高新技术产业开发区') ? '西安高新技术产业开发区' : null,
      highTech: false,
      littleGiant: false,
      size: 'small',
      industry: '科技服务',
    },
    {
      externalId: 'org-b-002',
      name: '陕西秦创技术转移有限公司',
      kind: 'broker_agency',
      creditCode: creditCodeFor(rng, '91', '610113', usedCodes),
      regionCode: '610113',
      zone: null,
      highTech: false,
      littleGiant: false,
      size: 'micro',
      industry: '科技服务',
    },
    {
      externalId: 'org-g-001',
      name: '西安市科学技术局',
      kind: 'government',
      // 机关 register with authority 1, category 1.
      creditCode: creditCodeFor(rng, '11', xianCity.code, usedCodes),
      regionCode: xianCity.code,
      zone: null,
      highTech: false,
      littleGiant: false,
      size: null,
      industry: null,
    },
  )

  return { organizations, enterprises, orgFields, orgTopics }
}

// ---------------------------------------------------------------------------------------------
// Experts
// ---------------------------------------------------------------------------------------------

function personName(rng: Rng): string {
  const surname = weighted(rng, surnames)
  const given = chance(rng, 0.3)
    ? pick(rng, givenChars)
    : pick(rng, givenChars) + pick(rng, givenChars)
  return surname + given
}

/** The track record a bio states, in proportion to the title (a 讲师 has not led 20 projects). */
function trackRecord(rng: Rng, title: string): string {
  const senior = title === '教授' || title === '研究员'
  const junior = title === '讲师'
  if (chance(rng, 0.2))
    return `长期与行业企业开展产学研合作，完成技术开发和技术服务项目${junior ? randInt(rng, 3, 12) : randInt(rng, 10, 60)}项。`
  if (senior)
    return `主持国家自然科学基金、国家重点研发计划等项目${randInt(rng, 8, 25)}项，授权发明专利${randInt(rng, 15, 60)}件，多项成果在陕西省内企业实现转化。`
  if (junior)
    return `主持国家自然科学基金青年项目等课题${randInt(rng, 1, 4)}项，授权发明专利${randInt(rng, 1, 8)}件。`
  return `主持国家自然科学基金、省部级科研项目${randInt(rng, 3, 12)}项，授权发明专利${randInt(rng, 5, 25)}件。`
}

function generateExperts(
  rng: Rng,
  count: number,
  organizations: readonly OrgSeed[],
  orgFields: Map<string, readonly string[]>,
) {
  const hosts = organizations.filter((org) => isResearchOrgKind(org.kind))
  if (hosts.length === 0 || count <= 0) return []
  // Every institution gets one expert first (in reference order, so 西安交通大学 is covered),
  // the rest follow institution size.
  const hostOrder = [
    ...hosts.slice(0, count),
    ...Array.from({ length: Math.max(0, count - hosts.length) }, () =>
      weighted(
        rng,
        hosts.map(
          (org) =>
            [org, institutionWeights[org.name] ?? (org.kind === 'university' ? 3 : 2)] as const,
        ),
      ),
    ),
  ]
  const usedNames = new Set<string>()
  return hostOrder.map((org, index): ExpertSeed => {
    let name = personName(rng)
    for (let attempt = 0; attempt < 20 && usedNames.has(name); attempt++) name = personName(rng)
    usedNames.add(name)
    const title = weighted(rng, org.kind === 'university' ? universityTitles : instituteTitles)
    const orgFieldList = orgFields.get(org.externalId) ?? ALL_SUB_FIELD_CODES
    const fields = sample(rng, orgFieldList, chance(rng, 0.35) ? 2 : 1).sort()
    // A researcher works on one or two products per field, and their keywords are the methods
    // of those products only; their results are mostly about the same products.
    const own = fields.flatMap((code) => sample(rng, getTopics(code), chance(rng, 0.4) ? 2 : 1))
    const keywords = sample(rng, uniq(own.flatMap((topic) => topic.methods)), randInt(rng, 3, 6))
    const focus = own.find((topic) => topic.methods.includes(keywords[0] ?? ''))
    const fieldNames = fields.map((code) => getFieldName(code) ?? code).join('、')
    const senior = title === '教授' || title === '研究员'
    const bio = [
      `${name}，${org.name}${title}${senior && chance(rng, 0.6) ? '，博士生导师' : ''}，主要从事${fieldNames}领域的研究，在${keywords.slice(0, 2).join('、')}等方面有长期积累。`,
      focus && chance(rng, 0.7)
        ? `近年来围绕${pick(rng, focus.products)}开展研究与工程化应用。`
        : '',
      trackRecord(rng, title),
    ].join('')
    return {
      externalId: `expert-${pad(index + 1, 4)}`,
      name,
      title,
      orgExternalId: org.externalId,
      fields,
      keywords,
      bio,
    }
  })
}

/** The topics an expert works on, as their keywords show (also for experts read back from a database). */
function topicsOfExpert(expert: ExpertSeed): Topic[] {
  const keywords = new Set(expert.keywords)
  return expert.fields
    .filter(hasTopics)
    .flatMap((code) =>
      getTopics(code).filter((topic) => topic.methods.some((method) => keywords.has(method))),
    )
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

const TRL_WEIGHTS = [
  [1, 2],
  [2, 4],
  [3, 12],
  [4, 18],
  [5, 20],
  [6, 18],
  [7, 14],
  [8, 8],
  [9, 4],
] as const

function stageOf(trl: number): string {
  if (trl <= 3) return '实验室原理验证'
  if (trl <= 5) return '小试验证'
  if (trl === 6) return '中试'
  if (trl === 7) return '示范应用'
  return '规模化应用'
}

/** What has been done at a TRL (GB/T 22900), in words that fit the kind of product. */
function progressOf(trl: number, kind: TopicKind): string {
  const { sample: prototype } = KIND_WORDS[kind]
  if (trl <= 2) return '提出了总体技术方案，完成了理论分析和原理验证'
  if (trl === 3) return '完成了关键功能的实验室验证'
  if (trl === 4)
    return kind === 'process'
      ? '完成了实验室小试和工艺条件优化'
      : kind === 'service'
        ? '完成了服务方案设计和小范围试点'
        : kind === 'variety'
          ? '完成了品系选育和田间鉴定'
          : `完成了实验室${prototype}的研制与性能测试`
  if (trl === 5)
    return kind === 'process'
      ? '完成了工艺在模拟工况下的验证'
      : kind === 'variety'
        ? '完成了多点品种比较试验'
        : `完成了${prototype}在模拟使用环境下的验证`
  if (trl === 6)
    return kind === 'variety'
      ? '完成了区域试验和生产试验'
      : '完成了中试，并在相关环境中开展了演示验证'
  if (trl === 7) return '已在实际使用环境中开展试运行'
  if (trl === 8)
    return kind === 'service'
      ? '服务流程已定型，并通过了用户验收'
      : kind === 'software'
        ? '系统已定型，并通过了第三方测评'
        : kind === 'variety'
          ? '品种已通过审定'
          : kind === 'process'
            ? '工艺已定型，并通过了第三方检测'
            : '产品已定型，并通过了第三方检测'
  return '已实现规模化推广应用'
}

/** The last sentence of a summary: how far the result is, and where it is used. */
function closingOf(rng: Rng, trl: number, topic: Topic, apps: readonly string[]): string {
  const where = apps.join('、')
  // Results tried in the field often name where (长庆油田, 渭北) rather than how many sites.
  const site = topic.sites && chance(rng, 0.6) ? pick(rng, topic.sites) : undefined
  if (trl <= 3) return `目前已完成实验室原理验证，可应用于${where}等领域。`
  if (trl <= 5) return `目前已完成小试验证，可应用于${where}等领域。`
  if (trl === 6)
    return `已在${site ?? `${randInt(rng, 1, 3)}家单位`}完成中试，可应用于${where}等领域。`
  if (trl === 7)
    return `已在${site ? `${site}等地` : `${randInt(rng, 2, 8)}家单位`}开展示范应用，可广泛应用于${where}等领域。`
  return `已在${site ? `${site}等地` : `${randInt(rng, 5, 30)}家单位`}推广应用，可广泛应用于${where}等领域。`
}

/** Check digit of a CN application number: weights 2–9,2–5 over 12 digits, mod 11, 10 → X. */
function patentNo(rng: Rng, typeDigit: 1 | 2 | 3, maxYear: number): string {
  const year = randInt(rng, Math.max(2012, maxYear - 9), maxYear)
  const digits = `${year}${typeDigit}${pad(randInt(rng, 0, 9_999_999), 7)}`
  return `ZL${digits}.${computePatentCheckDigit(digits)}`
}

function ipTypeFor(rng: Rng, topic: Topic): IpType | null {
  const software =
    topic.kind === 'software' || ['503', '505', '506', '507'].includes(topic.fieldCode)
  const entries: [IpType | null, number][] = [
    ['invention_patent', software ? 20 : 48],
    ['utility_model', software ? 3 : topic.kind === 'device' ? 20 : 10],
    ['design_patent', topic.kind === 'device' ? 4 : 1],
    // Copyrights protect code: none for a process, a material or a crop.
    [
      'software_copyright',
      software ? 45 : topic.kind === 'device' || topic.kind === 'service' ? 2 : 0,
    ],
    ['technical_secret', topic.kind === 'process' || topic.kind === 'service' ? 24 : 12],
    ['none', 5],
    [null, 3],
  ]
  if (topic.fieldCode === '102') entries.push(['ic_layout', 15])
  if (topic.kind === 'variety') entries.push(['plant_variety', 120])
  return weighted(
    rng,
    entries.filter(([, weight]) => weight > 0),
  )
}

const TRANSFER_MODE_WEIGHTS = [
  ['transfer', 6],
  ['license', 5],
  ['co_development', 5],
  ['equity', 3],
] as const

function transferModesFor(rng: Rng): TransferMode[] {
  const count = weighted(rng, [
    [1, 45],
    [2, 40],
    [3, 15],
  ] as const)
  const modes = new Set<TransferMode>()
  while (modes.size < count) modes.add(weighted(rng, TRANSFER_MODE_WEIGHTS))
  const order: TransferMode[] = ['transfer', 'license', 'equity', 'co_development']
  return order.filter((mode) => modes.has(mode))
}

/** Asking prices grow with maturity: a lab principle does not ask 2,000万. */
function askingPriceFor(rng: Rng, trl: number): number | null {
  if (chance(rng, 0.3)) return null
  const cap = trl <= 3 ? 2_000_000 : trl <= 5 ? 5_000_000 : trl === 6 ? 10_000_000 : 20_000_000
  return roundTo(logUniform(rng, 50_000, cap), 100)
}

// Products that read oddly after "高性能" (高性能高精度…, 高性能8K…).
const NO_PERFORMANCE_PREFIX =
  /^(高|超|低|长|全|智能|新型|一体|可|多|重|无|大|微|便携|手持|宽|耐|柔性|轻量化|双|三|车规|国产|[0-9A-Za-z])/
// Methods that name a process, so "一种Y的X工艺" reads right (not "一种钛合金棒材的钛合金工艺").
const PROCESS_METHOD =
  /(处理|铸造|冶金|沉积|改性|合成|萃取|纯化|提取|发酵|催化|烧结|成型|成形|表达|培养|共烧|外延|工艺|制粒|涂布|浸渍|熔炼|锻造|压铸|挤出|成膜|拉伸|干燥|聚合|复配|包覆|掺杂)$/

// Methods named by an action, so "一种Y的X方法" reads right ("一种电池管理系统的荷电状态估计方法").
const ACTION_METHOD =
  /(识别|检测|分析|预测|优化|控制|估计|规划|调度|融合|诊断|评价|评估|定位|建模|设计|校准|补偿|成像|重建|合成|提取|纯化|制备|拆分|筛选|监测|调控|改性|成型|成形|催化|审计|溯源|解析|匹配|切片|跟踪|剪辑|抠像|加密|鉴定|选育|移植|发酵|萃取|烧结|浇注|熔炼|锻造|焊接|涂布|包覆|掺杂|修复|再生|回收|干化|分离|吸附|压裂|充填|勘探|测量|测距|解调|描述)$/

function resultTitle(rng: Rng, subject: Subject): string {
  const { topic, product: p } = subject
  const [m = '', m2 = m] = subject.methods
  const [a = ''] = subject.apps
  // "一种基于国产化适配的国产化服务器管理软件" or "一种RV减速器的减速器设计方法" would repeat themselves.
  const fresh = (term: string) => !p.includes(term) && !p.includes(term.slice(0, 2))
  const based = fresh(m) ? 1 : 0
  const both = based && m2 !== m && fresh(m2) ? 1 : 0
  const action = based && ACTION_METHOD.test(m) ? 1 : 0
  const performance = NO_PERFORMANCE_PREFIX.test(p) ? 0 : 1
  const materials = topic.fieldCode.startsWith('4')
  const site = topic.sites ? pick(rng, topic.sites) : undefined
  const templates: Record<TopicKind, [Gen, number][]> = {
    software: [
      [() => `一种基于${m}的${p}`, 6 * based],
      [() => `基于${m}的${p}设计与实现`, based],
      [() => `一种融合${m}与${m2}的${p}`, 2 * both],
      [() => `基于${m}和${m2}的${p}`, 2 * both],
      [() => `${p}及其在${a}中的应用`, 1],
      [() => `基于${m}的${p}在${a}中的应用`, 2 * based],
      [() => `一种${p}的${m}方法`, 3 * action],
      [() => `面向${a}的${p}`, 3],
      [() => `面向${a}的${p}关键技术研究`, 1],
      [() => `${p}关键技术研究与应用`, 2],
      [() => `${p}研发及应用`, 1],
    ],
    device: [
      [() => `一种${p}及其控制方法`, 2],
      [() => `一种用于${a}的${p}`, 2],
      [() => `一种${p}的${m}方法`, 2 * action],
      [() => `${p}的设计与制造技术`, 1],
      [() => `新型${p}`, 1],
      [() => `高性能${p}`, performance],
      [() => `面向${a}的${p}`, 2],
      [() => `面向${a}的${p}研制`, 1],
      [() => `${p}研制及产业化`, 2],
      [() => `一种基于${m}的${p}`, 3 * based],
      [() => `基于${m}的${p}研制`, based],
      [() => `基于${m}的${p}在${a}中的应用`, based],
      [() => `基于${m}和${m2}的${p}`, both],
      [() => `${p}及其在${a}中的应用`, 1],
      [() => `${p}的${m}研究`, action],
      [() => `${p}关键技术研究与应用`, 2],
    ],
    component: [
      [() => `基于${m}的${p}及其制备方法`, 2 * based],
      [() => `${p}及其在${a}中的应用`, 2],
      [() => `${p}的${m}研究`, action],
      [() => `一种${p}及其制备方法`, 4],
      [() => `一种用于${a}的${p}`, 2],
      [() => `一种${p}的${m}方法`, 2 * action],
      [() => `高性能${p}`, performance],
      [() => `${p}的设计与制造技术`, 2],
      [() => `${a}用${p}`, 2],
      [() => `${p}研制及产业化`, 2],
      [() => `一种基于${m}的${p}`, 2 * based],
      [() => `面向${a}的${p}`, 2],
      [() => `${p}关键技术研究与应用`, 1],
    ],
    material: [
      [() => `一种${p}及其制备方法`, 3],
      [() => `基于${m}的${p}及其制备方法`, 2 * based],
      [() => `${p}及其在${a}中的应用`, 2],
      [() => `一种${a}用${p}的制备方法`, materials ? 1 : 0],
      [() => `${p}的${m}研究`, action],
      [() => `一种用于${a}的${p}`, materials ? 2 : 1],
      [() => `一种${p}的${m}方法`, 2 * action],
      [() => `${a}用${p}`, materials ? 2 : 0],
      [() => `高性能${p}`, materials ? performance : 0],
      [() => `${p}的低成本制备技术`, 1],
      [() => `${p}研制及产业化`, 2],
      [() => `一种${p}的${m}工艺`, PROCESS_METHOD.test(m) ? 3 * based : 0],
      [() => `基于${m}的${p}制备技术`, 2 * based],
      [() => `面向${a}的${p}`, 1],
      [() => `${p}关键技术研究与应用`, 1],
    ],
    process: [
      [() => p, 2],
      [() => `${p}研究与应用`, 2],
      [() => `面向${a}的${p}`, 2],
      [() => `${p}在${a}中的应用`, 2],
      [() => `${p}在${site}的应用`, site ? 2 : 0],
      [() => `${p}及产业化示范`, 1],
      [() => `基于${m}的${p}`, 2 * based],
      [() => `基于${m}和${m2}的${p}`, both],
      [() => `基于${m}的${p}在${a}中的应用`, based],
      // "皮革" + "皮革清洁鞣制技术" would say 皮革 twice.
      [() => `${site ?? a}${p}集成与示范`, p.includes(a) ? 0 : 1],
      [() => `${p}优化与推广应用`, 1],
    ],
    service: [
      [() => `面向${a}的${p}`, 3],
      [() => `基于${m}的${p}`, 3 * based],
      [() => `基于${m}和${m2}的${p}`, both],
      [() => `${p}在${a}中的应用`, 1],
      [() => `${p}体系构建与应用`, 2],
      [() => `${p}模式创新与示范`, 1],
    ],
    variety: [
      [() => `${p}选育`, 2],
      [() => `${p}选育与应用`, 2],
      [() => `面向${a}的${p}`, 1],
      [() => `基于${m}的${p}选育`, 2 * based],
      [() => `${p}在${site}的示范推广`, site ? 2 : 0],
      [() => `${p}及配套栽培技术`, 1],
    ],
  }
  return clip(choose(rng, templates[topic.kind]), 100)
}

/**
 * The summary states two of the result's figures, word for word as the description lists them,
 * so the two never disagree (45 GHz in one, 70 GHz in the other).
 */
function resultSummary(
  rng: Rng,
  subject: Subject,
  figures: readonly string[],
  trl: number,
): string {
  const { topic, product } = subject
  const [m1 = '', m2 = m1] = subject.methods
  const [a1 = ''] = subject.apps
  const { made } = KIND_WORDS[topic.kind]
  const problem = pick(rng, topic.problems)
  const opening = pick(rng, [
    `针对${a1}中${problem}等问题，本成果采用${m1}与${m2}相结合的技术路线，${made}${product}。`,
    `本成果面向${a1}需求，突破了${m1}、${m2}等关键技术，${made}${product}。`,
    `项目团队围绕${product}开展攻关，提出了基于${m1}的新方法，并集成${asTechnique(m2)}，解决了${problem}的难题。`,
  ])
  const tested =
    topic.kind === 'variety' ? '经区域试验' : topic.kind === 'service' ? '经实际应用' : '经测试'
  const stated = (count: number) => `${tested}，${figures.slice(0, count).join('，')}。`
  const closing = closingOf(rng, trl, topic, subject.apps)
  // Shorter forms drop whole sentences, never cut one (a cut figure would state another number).
  const summary =
    [
      opening + stated(2) + closing,
      opening + stated(2),
      opening + stated(1) + closing,
      opening + stated(1),
    ].find((text) => text.length <= 200) ?? opening
  return summary.length >= 80
    ? summary
    : summary + '成果技术指标先进，具有良好的推广应用前景和经济社会效益。'
}

const MODE_NAMES: Record<TransferMode, string> = {
  transfer: '技术转让',
  license: '许可使用',
  equity: '作价投资',
  co_development: '合作开发',
}

function resultDescription(
  rng: Rng,
  subject: Subject,
  figures: readonly string[],
  trl: number,
  modes: readonly TransferMode[],
  ipType: IpType | null,
  patentNos: readonly string[],
): string {
  const { topic, product } = subject
  const fieldName = getFieldName(topic.fieldCode) ?? ''
  const [a1 = ''] = subject.apps
  const [p1 = '', p2 = p1] = sample(rng, topic.problems, 2)
  const methods = [
    ...subject.methods,
    ...sample(rng, without(topic.methods, subject.methods), randInt(rng, 0, 1)),
  ]
  const apps = [
    ...subject.apps,
    ...sample(rng, without(topic.apps, subject.apps), randInt(rng, 0, 1)),
  ]
  const background = pick(rng, [
    `${fieldName}是国家重点支持的高新技术领域。当前${a1}领域普遍存在${p1}、${p2}等问题，${product}的需求持续增长。`,
    `当前${a1}领域普遍存在${p1}、${p2}等问题，制约了行业发展，市场对${product}的需求日益迫切。`,
    `${p1}、${p2}是${a1}领域长期面临的难题，${product}是解决这些问题的有效途径，市场空间广阔。`,
  ])
  const ipText =
    patentNos.length > 0
      ? `已获授权专利${patentNos.length}件（${patentNos.join('、')}）。`
      : ipType === 'software_copyright'
        ? '已取得计算机软件著作权登记。'
        : ipType === 'technical_secret'
          ? '核心工艺以技术秘密形式保护。'
          : ipType === 'plant_variety'
            ? '已获植物新品种权。'
            : ipType === 'ic_layout'
              ? '已完成集成电路布图设计登记。'
              : '知识产权归属清晰。'
  return [
    `一、技术背景\n${background}`,
    `二、技术方案\n成果以${methods.join('、')}为核心，${progressOf(trl, topic.kind)}，目前处于技术就绪水平${trl}级（${stageOf(trl)}阶段）。`,
    `三、主要技术指标\n${figures.map((figure, index) => `${index + 1}. ${figure}`).join('\n')}`,
    `四、应用前景\n可应用于${apps.join('、')}等领域，市场前景广阔。${ipText}`,
    `五、合作方式\n${modes.map((mode) => MODE_NAMES[mode]).join('、')}，欢迎有意向的企业洽谈。`,
  ].join('\n')
}

/**
 * The demo accounts belong to the first institution (西安交通大学) and the first enterprise
 * (seeds/seed.server.ts): whatever the seed, their workbenches show a listing in review, a draft
 * and one past its date besides the published ones. The first listing keeps its drawn status.
 */
const SHOWCASE_RESULT_STATES: readonly (ResultStatus | undefined)[] = [
  undefined,
  'pending_review',
  'draft',
  'expired',
]
const SHOWCASE_NEED_STATES: readonly NeedStatus[] = ['open', 'pending_review', 'draft', 'closed']

const RESULT_STATUS_WEIGHTS = [
  ['published', 80],
  ['pending_review', 6],
  ['draft', 4],
  ['expired', 6],
  ['transferred', 4],
] as const

// What each generated listing is about, for the deals that follow it (titles name the same product).
const subjects = new WeakMap<ResultSeed | NeedSeed, Subject>()

export interface ResultsContext {
  organizations: readonly OrgSeed[]
  experts: readonly ExpertSeed[]
}

/**
 * Streams `count` results over the given organizations and experts. Lazy, so benchmarks can
 * write hundreds of thousands without holding them; the first N of a seed equal the demo's N.
 * `skip` passes over that many first (the demo's own results, already in the database), so
 * the rest repeat no title an institution already lists.
 */
export function* generateResults(
  count: number,
  context: ResultsContext,
  options: { seed?: number; now?: Date; externalIdPrefix?: string; skip?: number } = {},
): Generator<ResultSeed> {
  const skip = options.skip ?? 0
  const rng = streamFor(options.seed ?? DEFAULT_SEED, 'results')
  const now = options.now ?? DEFAULT_NOW
  const prefix = options.externalIdPrefix ?? 'result-'
  const expertsByOrg = new Map<string, ExpertSeed[]>()
  for (const expert of context.experts) {
    const list = expertsByOrg.get(expert.orgExternalId) ?? []
    list.push(expert)
    expertsByOrg.set(expert.orgExternalId, list)
  }
  const orgById = new Map(context.organizations.map((org) => [org.externalId, org]))
  const enterprises = context.organizations.filter((org) => org.kind === 'enterprise')
  const institutionsWithoutExperts = context.organizations.filter(
    (org) => isResearchOrgKind(org.kind) && !expertsByOrg.has(org.externalId),
  )
  const industryTopics = new Map(
    industries.map((industry) => [industry.label, getIndustryTopics(industry)]),
  )
  const topicsOfFields = (fields: readonly string[]) => {
    const known = fields.filter(hasTopics)
    return (known.length > 0 ? known : ALL_SUB_FIELD_CODES).flatMap((code) => getTopics(code))
  }
  const expertTopics = new Map<string, Topic[]>()
  const usedTitles = new Map<string, Set<string>>()
  const maxPatentYear = chinaYear(now) - 1
  const showcase = context.organizations.find((org) => isResearchOrgKind(org.kind))
  let showcased = 0

  for (let index = 0; index < skip + count; index++) {
    // Most results come from research teams (an expert at a university/institute); some from companies.
    const fromExpert = context.experts.length > 0 && (enterprises.length === 0 || chance(rng, 0.8))
    let org: OrgSeed | undefined
    let lead: ExpertSeed | null = null
    let pool: readonly Topic[]
    if (fromExpert) {
      lead = pick(rng, context.experts)
      org = orgById.get(lead.orgExternalId)
      pool = topicsOfFields(lead.fields)
    } else if (enterprises.length > 0) {
      org = pick(rng, enterprises)
      pool = industryTopics.get(org.industry ?? '') ?? topicsOfFields([])
    } else {
      org = pick(
        rng,
        institutionsWithoutExperts.length > 0 ? institutionsWithoutExperts : context.organizations,
      )
      pool = topicsOfFields(fieldsOfInstitution(org.name))
    }
    if (!org) throw new Error(`expert ${lead?.externalId} belongs to an unknown organization`)

    let favourites: Topic[] = []
    if (lead) {
      favourites = expertTopics.get(lead.externalId) ?? topicsOfExpert(lead)
      expertTopics.set(lead.externalId, favourites)
    }
    const used = usedTitles.get(org.externalId) ?? new Set<string>()
    usedTitles.set(org.externalId, used)
    const { subject, title } = uniqueSubject(
      rng,
      used,
      (attempt) =>
        favourites.length > 0 && attempt < 20 && chance(rng, 0.7)
          ? pick(rng, favourites)
          : pick(rng, pool),
      (candidate) => resultTitle(rng, candidate),
    )
    const { topic } = subject

    const trl = weighted(rng, TRL_WEIGHTS)
    const ipType = ipTypeFor(rng, topic)
    const typeDigit =
      ipType === 'invention_patent'
        ? 1
        : ipType === 'utility_model'
          ? 2
          : ipType === 'design_patent'
            ? 3
            : null
    const patentNos = typeDigit
      ? uniq(
          Array.from(
            {
              length: weighted(rng, [
                [1, 60],
                [2, 28],
                [3, 12],
              ] as const),
            },
            () => patentNo(rng, typeDigit, maxPatentYear),
          ),
        )
      : []
    const transferModes = transferModesFor(rng)
    const askingPrice = askingPriceFor(rng, trl)
    const drawn = weighted(rng, RESULT_STATUS_WEIGHTS)
    const status = org === showcase ? (SHOWCASE_RESULT_STATES[showcased++] ?? drawn) : drawn
    const figures = sample(rng, topic.metrics, randInt(rng, 3, 4)).map((spec) =>
      fillSpec(rng, spec),
    )
    const keywords = [
      ...subject.methods,
      ...sample(rng, without(topic.methods, subject.methods), randInt(rng, 1, 3)),
      ...(chance(rng, 0.4) ? [subject.product] : []),
    ]

    let confirmedAt: Date
    let createdAt: Date
    let publishedAt: Date | null
    if (status === 'published' || status === 'transferred') {
      confirmedAt = addDays(now, -(rng() * (status === 'published' ? 150 : 170)))
      createdAt = addDays(confirmedAt, -(rng() * 540))
      publishedAt = minDate(addDays(createdAt, 1 + rng() * 10), confirmedAt)
    } else if (status === 'expired') {
      confirmedAt = addDays(now, -(181 + rng() * 500))
      createdAt = addDays(confirmedAt, -(rng() * 360))
      publishedAt = minDate(addDays(createdAt, 1 + rng() * 10), confirmedAt)
    } else {
      createdAt = addDays(now, -(rng() * 30))
      confirmedAt = createdAt
      publishedAt = null
    }

    const result: ResultSeed = {
      externalId: `${prefix}${pad(index - skip + 1, 4)}`,
      title,
      summary: resultSummary(rng, subject, figures, trl),
      description: resultDescription(rng, subject, figures, trl, transferModes, ipType, patentNos),
      fieldCode: topic.fieldCode,
      keywords,
      trl,
      ipType,
      patentNos,
      transferModes,
      askingPrice,
      status,
      orgExternalId: org.externalId,
      leadExpertExternalId: lead?.externalId ?? null,
      confirmedAt,
      expiresAt: addDays(confirmedAt, 180),
      publishedAt,
      createdAt,
    }
    subjects.set(result, subject)
    if (index >= skip) yield result
  }
}

// ---------------------------------------------------------------------------------------------
// Needs
// ---------------------------------------------------------------------------------------------

const NEED_STATUS_WEIGHTS = [
  ['open', 75],
  ['pending_review', 7],
  ['draft', 5],
  ['closed', 6],
  ['solved', 7],
] as const
const COOPERATION_WEIGHTS = [
  ['commissioned_development', 8],
  ['co_development', 7],
  ['transfer', 5],
  ['license', 3],
  ['consulting', 3],
  ['service', 4],
] as const

const LOCALIZE = '国产化替代'

function needTitle(rng: Rng, subject: Subject): string {
  const { topic, product: p } = subject
  const [m = ''] = subject.methods
  const based = !p.includes(m)
  const imported = importProblemOf(topic) ? 2 : 0
  const templates: Record<TopicKind, [Gen, number][]> = {
    software: [
      [() => `${p}开发`, 2],
      [() => `${p}关键技术攻关`, 1],
      [() => `基于${m}的${p}开发`, based ? 2 : 0],
      [() => `征集${p}相关技术成果`, 1],
      [() => `${m}在${p}中的应用`, based ? 1 : 0],
      [() => `${p}升级改造`, 1],
      [() => `${p}${LOCALIZE}`, imported / 2],
    ],
    device: [
      [() => `${p}关键技术攻关`, 2],
      [() => `${p}研发`, 1],
      [() => `${p}${LOCALIZE}`, imported],
      [() => `${p}技术升级改造`, 1],
      [() => `征集${p}相关技术成果`, 1],
      [() => `${m}在${p}中的应用`, based ? 1 : 0],
      [() => `${p}可靠性提升`, 1],
    ],
    component: [
      [() => `${p}关键技术攻关`, 2],
      [() => `${p}研发`, 1],
      [() => `${p}${LOCALIZE}`, imported],
      [() => `征集${p}相关技术成果`, 1],
      [() => `${m}在${p}中的应用`, based ? 1 : 0],
      [() => `${p}性能提升`, 1],
    ],
    material: [
      [() => `${p}关键技术攻关`, 2],
      [() => `${p}制备工艺优化`, 2],
      [() => `${p}${LOCALIZE}`, imported],
      [() => `征集${p}相关技术成果`, 1],
      [() => `${p}性能提升`, 1],
      [() => `${m}在${p}中的应用`, based ? 1 : 0],
    ],
    process: [
      [() => `寻求${p}解决方案`, 2],
      [() => `${p}合作开发`, 1],
      [() => `征集${p}相关技术成果`, 1],
      [() => `${p}工程化应用`, 1],
      [() => `${p}升级改造`, 1],
    ],
    service: [
      [() => `寻求${p}`, 2],
      [() => `委托开展${p}`, 1],
      [() => `${p}合作`, 1],
    ],
    variety: [
      [() => `${p}引进与示范`, 1],
      [() => `征集${p}`, 1],
      [() => `${p}推广合作`, 1],
    ],
  }
  return clip(choose(rng, templates[topic.kind]), 100)
}

function needDescription(rng: Rng, subject: Subject, title: string, org: OrgSeed): string {
  const { topic, product } = subject
  const [m1 = '', m2 = m1] = subject.methods
  const [app = ''] = subject.apps
  const { existing } = KIND_WORDS[topic.kind]
  const problem = pick(rng, topic.problems)
  const making = ['software', 'device', 'component', 'material'].includes(topic.kind)
  // A need titled "…国产化替代" says what it replaces; others start from their own problem.
  const opening = title.endsWith(LOCALIZE)
    ? `我公司目前使用的${product}主要依赖进口，采购周期长、成本高，希望实现国产化替代，`
    : choose(rng, [
        [() => `我公司在${app}相关业务中，${existing}存在${problem}的问题，难以满足客户要求，`, 2],
        [
          () =>
            `我公司主营${org.industry ?? '相关'}业务，在${product}${making ? '开发' : '应用'}过程中遇到${problem}的瓶颈，`,
          1,
        ],
        [
          () => `随着${app}领域需求增长，我公司现有${product}存在${problem}等不足，`,
          topic.kind === 'service' || topic.kind === 'variety' ? 0 : 1,
        ],
      ])
  const { needTerms } = phraseVocabulary
  const term = pick(rng, [...needTerms[topic.kind], ...needTerms.common])
  return [
    opening,
    `需要${m1}、${m2}等方面的技术支持，`,
    `要求${fillSpec(rng, pick(rng, topic.metrics))}，${fillSpec(rng, term)}。`,
    chance(rng, 0.5) ? `希望与高校、科研院所建立长期合作关系。` : '',
  ].join('')
}

function generateNeeds(
  rng: Rng,
  count: number,
  enterprises: readonly EnterpriseProfile[],
  now: Date,
): NeedSeed[] {
  if (enterprises.length === 0) return []
  const needs: NeedSeed[] = []
  const usedTitles = new Map<string, Set<string>>()
  for (let index = 0; index < count; index++) {
    const drawnEnterprise = pick(rng, enterprises)
    // The first needs are the demo enterprise's, one in each state it should see.
    const showcased = index < SHOWCASE_NEED_STATES.length
    const { org, topics } = showcased ? (enterprises[0] ?? drawnEnterprise) : drawnEnterprise
    const used = usedTitles.get(org.externalId) ?? new Set<string>()
    usedTitles.set(org.externalId, used)
    const { subject, title } = uniqueSubject(
      rng,
      used,
      () => pick(rng, topics),
      (candidate) => needTitle(rng, candidate),
    )
    const { topic } = subject
    const description = needDescription(rng, subject, title, org)

    const budgetShape = weighted(rng, [
      ['both', 65],
      ['none', 15],
      ['max', 10],
      ['min', 10],
    ] as const)
    const base = logUniform(rng, 50_000, 5_000_000)
    const budgetMinValue = roundTo(base, base >= 200_000 ? 10_000 : 1000)
    const budgetMaxValue = roundTo(base * (1.5 + rng() * 1.5), base >= 200_000 ? 10_000 : 1000)
    const budgetMin = budgetShape === 'both' || budgetShape === 'min' ? budgetMinValue : null
    const budgetMax =
      budgetShape === 'both' || budgetShape === 'max'
        ? Math.max(budgetMaxValue, budgetMinValue)
        : null

    const modeCount = weighted(rng, [
      [1, 50],
      [2, 40],
      [3, 10],
    ] as const)
    const modeSet = new Set<CooperationMode>()
    while (modeSet.size < modeCount) modeSet.add(weighted(rng, COOPERATION_WEIGHTS))
    const cooperationModes = COOPERATION_WEIGHTS.map(([mode]) => mode).filter((mode) =>
      modeSet.has(mode),
    )

    const drawn = weighted(rng, NEED_STATUS_WEIGHTS)
    const status = (showcased ? SHOWCASE_NEED_STATES[index] : undefined) ?? drawn
    let createdAt: Date
    let confirmedAt: Date
    let publishedAt: Date | null
    let deadline: Date | null
    if (status === 'open') {
      confirmedAt = addDays(now, -(rng() * 150))
      createdAt = addDays(confirmedAt, -(rng() * 300))
      publishedAt = minDate(addDays(createdAt, 1 + rng() * 7), confirmedAt)
      deadline = chance(rng, 0.85) ? addDays(now, 30 + rng() * 330) : null
    } else if (status === 'closed' || status === 'solved') {
      confirmedAt = addDays(now, -(60 + rng() * 500))
      createdAt = addDays(confirmedAt, -(rng() * 200))
      publishedAt = minDate(addDays(createdAt, 1 + rng() * 7), confirmedAt)
      deadline = chance(rng, 0.7) ? addDays(confirmedAt, 30 + rng() * 200) : null
    } else {
      createdAt = addDays(now, -(rng() * 30))
      confirmedAt = createdAt
      publishedAt = null
      deadline = chance(rng, 0.7) ? addDays(now, 60 + rng() * 300) : null
    }

    const need: NeedSeed = {
      externalId: `need-${pad(index + 1, 4)}`,
      title,
      description,
      fieldCode: topic.fieldCode,
      keywords: [
        ...subject.methods,
        ...sample(rng, without(topic.methods, subject.methods), randInt(rng, 1, 3)),
      ],
      budgetMin,
      budgetMax,
      deadline,
      cooperationModes,
      status,
      orgExternalId: org.externalId,
      confirmedAt,
      expiresAt: addDays(confirmedAt, 180),
      publishedAt,
      createdAt,
    }
    subjects.set(need, subject)
    needs.push(need)
  }
  return needs
}

// ---------------------------------------------------------------------------------------------
// Deals
// ---------------------------------------------------------------------------------------------

const SUB_TYPES: Record<ContractType, readonly (readonly [string, number])[]> = {
  development: [
    ['委托开发', 7],
    ['合作开发', 3],
  ],
  transfer: [
    ['专利权转让', 5],
    ['专利申请权转让', 1],
    ['技术秘密转让', 3],
    ['其他技术转让', 1],
  ],
  license: [
    ['专利实施许可（独占）', 2],
    ['专利实施许可（排他）', 2],
    ['专利实施许可（普通）', 4],
    ['技术秘密使用许可', 2],
  ],
  consulting: [['技术咨询', 1]],
  service: [
    ['技术服务', 8],
    ['技术培训', 1],
    ['技术中介', 1],
  ],
}

/** Amount tiers: platform deals are mostly 10–50万, while a few ≥1000万 carry most of the value. */
const AMOUNT_TIERS = [
  { share: 0.1, min: 20_000, max: 100_000 },
  { share: 0.725, min: 100_000, max: 500_000 },
  { share: 0.12, min: 500_000, max: 3_000_000 },
  { share: 0.03, min: 3_000_000, max: 10_000_000 },
  { share: 0.025, min: 10_000_000, max: 150_000_000 },
] as const

/** Target share of value bought locally when a local university or institute sells. */
const LOCAL_CONVERSION_TARGET = 0.37

/** What a deal without a listing is about: a product the parties share (a patent, not a service). */
function dealSubject(rng: Rng, topics: readonly Topic[], contractType: ContractType): Subject {
  const patentable = topics.filter((topic) => topic.kind !== 'service')
  const pool =
    (contractType === 'transfer' || contractType === 'license') && patentable.length > 0
      ? patentable
      : topics
  return subjectOf(rng, pick(rng, pool))
}

function dealTitle(rng: Rng, subType: string, subject: Subject): string {
  const { topic } = subject
  // "电磁兼容测试服务" + "技术服务合同" reads as "电磁兼容测试技术服务合同".
  const base = topic.kind === 'service' ? subject.product.replace(/服务$/, '') : subject.product
  const method = pick(rng, topic.methods)
  const testable = topic.kind !== 'service' && topic.kind !== 'process'
  let title: string
  switch (subType) {
    case '委托开发':
      title =
        topic.kind === 'material'
          ? withSuffix(base, '制备技术开发合同')
          : withSuffix(base, '技术开发合同')
      break
    case '合作开发':
      title = pick(rng, [withSuffix(base, '技术开发合同'), `${base}合作开发合同`])
      break
    case '专利权转让':
    case '专利申请权转让':
    case '技术秘密转让':
      title = `${base}${subType}合同`
      break
    case '其他技术转让':
      title = withSuffix(base, '技术转让合同')
      break
    case '技术秘密使用许可':
      title = withSuffix(base, '技术秘密使用许可合同')
      break
    case '技术咨询':
      title = pick(rng, [
        `${base}可行性论证技术咨询合同`,
        withSuffix(method, '技术路线咨询合同'),
        `${pick(rng, topic.apps)}领域技术发展咨询合同`,
      ])
      break
    case '技术培训':
      title = withSuffix(method, '技术培训合同')
      break
    case '技术中介':
      title = withSuffix(base, '技术中介服务合同')
      break
    case '技术服务':
      title = pick(rng, [
        withSuffix(base, '技术服务合同'),
        withSuffix(method, '技术服务合同'),
        ...(testable ? [`${base}测试与优化技术服务合同`] : []),
      ])
      break
    default:
      // 专利实施许可（独占/排他/普通）
      title = `${base}专利实施许可合同`
  }
  return clip(title, 100)
}

interface DealDraft {
  index: number
  tierAmount: number
  contractType: ContractType
  status: DealSeedStatus
  seller: OrgSeed
}

function isLocal(regionCode: string): boolean {
  return regionCode.startsWith(LOCAL_CITY_PREFIX)
}

function isResearch(org: OrgSeed): boolean {
  return isResearchOrgKind(org.kind)
}

function generateDeals(
  rng: Rng,
  count: number,
  organizations: readonly OrgSeed[],
  experts: readonly ExpertSeed[],
  orgTopics: Map<string, readonly Topic[]>,
  results: readonly ResultSeed[],
  needs: readonly NeedSeed[],
  now: Date,
): DealSeed[] {
  const research = organizations.filter(isResearch)
  const enterprises = organizations.filter((org) => org.kind === 'enterprise')
  if (enterprises.length === 0 || count <= 0) return []
  const expertCount = new Map<string, number>()
  for (const expert of experts)
    expertCount.set(expert.orgExternalId, (expertCount.get(expert.orgExternalId) ?? 0) + 1)
  const researchEntries = research.map(
    (org) => [org, 1 + (expertCount.get(org.externalId) ?? 0)] as const,
  )

  // Tiers by quota rather than by chance, so every seed has the same market shape.
  const tierOf: number[] = []
  AMOUNT_TIERS.forEach((tier, tierIndex) => {
    for (let i = 0; i < Math.round(tier.share * count); i++) tierOf.push(tierIndex)
  })
  while (tierOf.length < count) tierOf.push(1)
  const tiers = shuffle(rng, tierOf.slice(0, count))

  const drafts: DealDraft[] = tiers.map((tierIndex, index) => {
    const tier = AMOUNT_TIERS[tierIndex] ?? AMOUNT_TIERS[1]
    const big = tier.min >= 3_000_000
    const contractType = weighted<ContractType>(
      rng,
      big
        ? [
            ['development', 50],
            ['service', 40],
            ['transfer', 6],
            ['license', 4],
          ]
        : [
            ['service', 34],
            ['development', 32],
            ['consulting', 14],
            ['transfer', 12],
            ['license', 8],
          ],
    )
    const status = weighted<DealSeedStatus>(rng, [
      ['completed', 30],
      ['performing', 25],
      ['registered', 25],
      ['signed', 7],
      ['negotiating', 5],
      ['intent', 4],
      ['cancelled', 4],
    ])
    const seller =
      research.length > 0 && (big || chance(rng, 0.82))
        ? weighted(rng, researchEntries)
        : pick(rng, enterprises)
    return { index, tierAmount: logUniform(rng, tier.min, tier.max), contractType, status, seller }
  })

  // Buyers: balance the local share of value for local research sellers on registered deals
  // (the city's 就地转化率), biggest deals first so the few large ones cannot skew it.
  const buyers = new Map<number, OrgSeed>()
  const localEnterprises = enterprises.filter((org) => isLocal(org.regionCode))
  const remoteEnterprises = enterprises.filter((org) => !isLocal(org.regionCode))
  const allTopics = ALL_SUB_FIELD_CODES.flatMap(getTopics)
  const topicsOf = (org: OrgSeed) => orgTopics.get(org.externalId) ?? allTopics
  const sharedTopics = (seller: OrgSeed, buyer: OrgSeed) => {
    const buyerTopics = new Set(topicsOf(buyer))
    return topicsOf(seller).filter((topic) => buyerTopics.has(topic))
  }
  /** What a deal without a linked listing can be about: what both parties work on, if anything. */
  const dealTopics = (seller: OrgSeed, buyer: OrgSeed, fieldCode: string | undefined) => {
    const inField = (list: readonly Topic[]) =>
      fieldCode ? list.filter((topic) => topic.fieldCode === fieldCode) : list
    const shared = inField(sharedTopics(seller, buyer))
    if (shared.length > 0) return shared
    const own = inField(topicsOf(seller))
    return own.length > 0
      ? own
      : fieldCode && hasTopics(fieldCode)
        ? getTopics(fieldCode)
        : allTopics
  }
  const pickBuyer = (draft: DealDraft, local: boolean): OrgSeed => {
    const pool = (local ? localEnterprises : remoteEnterprises).filter(
      (org) => org.externalId !== draft.seller.externalId,
    )
    const fallback = enterprises.filter((org) => org.externalId !== draft.seller.externalId)
    const eligible = pool.length > 0 ? pool : fallback.length > 0 ? fallback : enterprises
    // A buyer works on something the seller offers (no pharma firm buys machine-tool know-how).
    const related = eligible.filter((org) => sharedTopics(draft.seller, org).length > 0)
    const candidates = related.length > 0 ? related : eligible
    const sizeWeight = { micro: 0.5, small: 1, medium: 3, large: 6 } as const
    return draft.tierAmount >= 3_000_000
      ? weighted(
          rng,
          candidates.map((org) => [org, org.size ? sizeWeight[org.size] : 1] as const),
        )
      : pick(rng, candidates)
  }
  const target = LOCAL_CONVERSION_TARGET + (rng() - 0.5) * 0.04
  const balanced = drafts
    .filter(
      (draft) =>
        isResearch(draft.seller) &&
        isLocal(draft.seller.regionCode) &&
        isRegisteredDealStatus(draft.status),
    )
    .sort((a, b) => b.tierAmount - a.tierAmount)
  let localValue = 0
  let totalValue = 0
  for (const draft of balanced) {
    let local: boolean
    if (draft.tierAmount >= 500_000) {
      const ifLocal = Math.abs(
        (localValue + draft.tierAmount) / (totalValue + draft.tierAmount) - target,
      )
      const ifRemote = Math.abs(localValue / (totalValue + draft.tierAmount) - target)
      local = ifLocal < ifRemote
    } else {
      local = chance(rng, target)
    }
    if (local) localValue += draft.tierAmount
    totalValue += draft.tierAmount
    buyers.set(draft.index, pickBuyer(draft, local))
  }
  for (const draft of drafts) {
    if (!buyers.has(draft.index))
      buyers.set(draft.index, pickBuyer(draft, chance(rng, isResearch(draft.seller) ? 0.4 : 0.6)))
  }

  const resultsByOrg = new Map<string, ResultSeed[]>()
  for (const result of results) {
    if (result.status !== 'published' && result.status !== 'transferred') continue
    const list = resultsByOrg.get(result.orgExternalId) ?? []
    list.push(result)
    resultsByOrg.set(result.orgExternalId, list)
  }
  const needsByOrg = new Map<string, NeedSeed[]>()
  for (const need of needs) {
    if (need.status === 'draft' || need.status === 'pending_review') continue
    const list = needsByOrg.get(need.orgExternalId) ?? []
    list.push(need)
    needsByOrg.set(need.orgExternalId, list)
  }
  const worksOn = (org: OrgSeed, listing: ResultSeed | NeedSeed) => {
    const topic = subjects.get(listing)?.topic
    return !topic || topicsOf(org).includes(topic)
  }
  const listedBy = (listing: ResultSeed | NeedSeed, date: Date) =>
    listing.publishedAt !== null && listing.publishedAt.getTime() <= date.getTime()

  const serials = new Map<string, number>()
  const fiveYears = 5 * 365
  return drafts.map((draft): DealSeed => {
    const buyer = buyers.get(draft.index) ?? pick(rng, enterprises)
    const { seller, contractType, status } = draft
    // Training and brokerage are small contracts: a big service deal is 技术服务 proper.
    const subType =
      contractType === 'service' && draft.tierAmount >= 1_000_000
        ? '技术服务'
        : weighted(rng, SUB_TYPES[contractType])

    const contractAmount = roundAmount(rng, draft.tierAmount)
    const techShare =
      contractType === 'transfer' || contractType === 'license'
        ? 0.9 + rng() * 0.1
        : 0.6 + rng() * 0.4
    const techTransactionAmount = Math.min(contractAmount, roundTo(contractAmount * techShare, 100))

    let createdAt: Date
    let signedAt: Date | null = null
    let registeredAt: Date | null = null
    let registrationNo: string | null = null
    if (isRegisteredDealStatus(status)) {
      // Older deals are more likely finished; the market grows, so recent years hold more deals.
      const [minAge, maxAge] =
        status === 'completed'
          ? [120, fiveYears - 100]
          : status === 'performing'
            ? [10, 730]
            : [1, 365]
      const age = minAge + (maxAge - minAge) * Math.pow(rng(), 1.3)
      registeredAt = addDays(now, -age)
      signedAt = addDays(registeredAt, -(3 + rng() * 40))
      createdAt = addDays(signedAt, -(7 + rng() * 60))
      const year = chinaYear(registeredAt)
      const key = `${year}${seller.regionCode}`
      const serial = (serials.get(key) ?? 0) + randInt(rng, 1, 40)
      serials.set(key, serial)
      registrationNo = `${key}${pad(serial, 6)}`
    } else if (status === 'signed') {
      signedAt = addDays(now, -(1 + rng() * 60))
      createdAt = addDays(signedAt, -(7 + rng() * 60))
    } else {
      createdAt = addDays(now, -(1 + rng() * (status === 'cancelled' ? 360 : 90)))
    }

    // A deal follows a result or need only if it was listed before the deal began, at a price
    // not far from the contract (a 5万 asking price does not become a 3,000万 contract), and a
    // deal that follows both is about one field.
    const patentDeal = contractType === 'transfer' || contractType === 'license'
    const sellerResults = (resultsByOrg.get(seller.externalId) ?? []).filter(
      (candidate) =>
        listedBy(candidate, createdAt) &&
        // A service is not licensed as a patent ("产品可靠性评价专利实施许可合同").
        !(patentDeal && subjects.get(candidate)?.topic.kind === 'service') &&
        // The buyer works on what the result is about (no 丹参酮 licence for a water company).
        worksOn(buyer, candidate) &&
        (candidate.askingPrice === null ||
          (contractAmount >= candidate.askingPrice / 3 &&
            contractAmount <= candidate.askingPrice * 3)),
    )
    const linkResult = patentDeal ? 0.7 : contractType === 'development' ? 0.25 : 0.1
    const result =
      sellerResults.length > 0 && chance(rng, linkResult) ? pick(rng, sellerResults) : undefined
    const buyerNeeds = (needsByOrg.get(buyer.externalId) ?? []).filter(
      (candidate) =>
        listedBy(candidate, createdAt) &&
        worksOn(seller, candidate) &&
        (!result || candidate.fieldCode === result.fieldCode) &&
        (candidate.budgetMax === null || contractAmount <= candidate.budgetMax * 2) &&
        (candidate.budgetMin === null || contractAmount >= candidate.budgetMin / 2),
    )
    const need =
      buyerNeeds.length > 0 && chance(rng, contractType === 'development' ? 0.4 : 0.2)
        ? pick(rng, buyerNeeds)
        : undefined
    const listedField = result?.fieldCode ?? need?.fieldCode
    const subject =
      (result && subjects.get(result)) ??
      (need && subjects.get(need)) ??
      dealSubject(rng, dealTopics(seller, buyer, listedField), contractType)
    const fieldCode = listedField ?? subject.topic.fieldCode

    return {
      externalId: `deal-${pad(draft.index + 1, 4)}`,
      title: dealTitle(rng, subType, subject),
      contractType,
      subType,
      sellerOrgExternalId: seller.externalId,
      buyerOrgExternalId: buyer.externalId,
      contractAmount,
      techTransactionAmount,
      status,
      signedAt,
      registeredAt,
      registrationNo,
      fieldCode,
      sellerRegionCode: seller.regionCode,
      buyerRegionCode: buyer.regionCode,
      resultExternalId: result?.externalId ?? null,
      needExternalId: need?.externalId ?? null,
      createdAt,
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/** The whole demo market for a seed (default counts: 80 enterprises, 150 experts, 300 results, 200 needs, 400 deals). */
export function generateDemoData(options: DemoDataOptions = {}): DemoData {
  const seed = options.seed ?? DEFAULT_SEED
  const now = options.now ?? DEFAULT_NOW
  const counts = {
    enterprises: options.enterprises ?? DEFAULT_COUNTS.enterprises,
    experts: options.experts ?? DEFAULT_COUNTS.experts,
    results: options.results ?? DEFAULT_COUNTS.results,
    needs: options.needs ?? DEFAULT_COUNTS.needs,
    deals: options.deals ?? DEFAULT_COUNTS.deals,
  }

  const { organizations, enterprises, orgFields, orgTopics } = generateOrganizations(
    streamFor(seed, 'organizations'),
    counts.enterprises,
  )
  const experts = generateExperts(
    streamFor(seed, 'experts'),
    counts.experts,
    organizations,
    orgFields,
  )
  const results = [...generateResults(counts.results, { organizations, experts }, { seed, now })]
  const needs = generateNeeds(streamFor(seed, 'needs'), counts.needs, enterprises, now)
  const deals = generateDeals(
    streamFor(seed, 'deals'),
    counts.deals,
    organizations,
    experts,
    orgTopics,
    results,
    needs,
    now,
  )
  return { organizations, experts, results, needs, deals }
}

// ---------------------------------------------------------------------------------------------
// The city's technology contract registry
// ---------------------------------------------------------------------------------------------

export interface RegistryOptions {
  seed?: number
  now?: Date
  /** The same enterprise count the demo market was generated with: the parties are its own. */
  enterprises?: number
  /** Calendar years of registrations, ending with the current one. */
  years?: number
  /** Contracts a whole current year would hold; earlier years hold fewer (REGISTRY_GROWTH). */
  contractsPerYear?: number
}

/**
 * Registry amounts: many small service and consulting contracts, and 3 % of 1,000万 or more
 * that carry about three quarters of the value (mean about 330万, against 253万 nationally in
 * 2013), so that some 16,000 contracts make a year near the plan's 500亿.
 */
const REGISTRY_AMOUNT_BANDS: readonly (readonly [{ min: number; max: number }, number])[] = [
  [{ min: 10_000, max: 100_000 }, 35],
  [{ min: 100_000, max: 500_000 }, 35],
  [{ min: 500_000, max: 3_000_000 }, 20],
  [{ min: 3_000_000, max: 10_000_000 }, 7],
  [{ min: 10_000_000, max: 300_000_000 }, 3],
]

/** Registrations by calendar month: low over the Spring Festival, a December peak. */
const REGISTRY_MONTH_WEIGHTS = [5, 4, 7, 7, 8, 10, 7, 7, 8, 7, 9, 21] as const

/** Yearly growth of the registry, near the city's growth over the plan's years. */
const REGISTRY_GROWTH = 1.11

/** Registry serial numbers start here, so they never meet the platform's own deals'. */
const REGISTRY_SERIAL_START = 500_001

/**
 * Every technology contract the city registered over the last few years, not only those
 * made on the platform: yielded one at a time in registration order, so a caller can write a
 * million of them without holding them all. Deterministic for a seed and a `now`.
 */
export function* generateRegistry(options: RegistryOptions = {}): Generator<DealSeed> {
  const seed = options.seed ?? DEFAULT_SEED
  const now = options.now ?? DEFAULT_NOW
  const years = options.years ?? 5
  const perYear = options.contractsPerYear ?? 16_000
  const rng = streamFor(seed, 'registry')
  const { organizations, orgTopics } = generateOrganizations(
    streamFor(seed, 'organizations'),
    options.enterprises ?? DEFAULT_COUNTS.enterprises,
  )
  const localResearch = organizations.filter((org) => isResearch(org) && isLocal(org.regionCode))
  const enterprises = organizations.filter((org) => org.kind === 'enterprise')
  const localEnterprises = enterprises.filter((org) => isLocal(org.regionCode))
  const remoteEnterprises = enterprises.filter((org) => !isLocal(org.regionCode))
  const publicBuyers = organizations.filter(
    (org) => org.kind === 'government' || (isResearch(org) && isLocal(org.regionCode)),
  )
  if (localResearch.length === 0 || localEnterprises.length === 0) return
  const allTopics = ALL_SUB_FIELD_CODES.flatMap(getTopics)
  const topicsOf = (org: OrgSeed) => orgTopics.get(org.externalId) ?? allTopics
  const weightSum = REGISTRY_MONTH_WEIGHTS.reduce((sum, weight) => sum + weight, 0)
  const thisYear = chinaYear(now)
  const serials = new Map<string, number>()
  let index = 0

  for (let year = thisYear - years + 1; year <= thisYear; year++) {
    const yearCount = perYear / REGISTRY_GROWTH ** (thisYear - year)
    for (let month = 0; month < 12; month++) {
      // Month boundaries in China time; the current month only up to today.
      const start = Date.UTC(year, month, 1) - 8 * 3600_000
      const end = Math.min(Date.UTC(year, month + 1, 1) - 8 * 3600_000, now.getTime())
      if (end <= start) break
      const elapsed = (end - start) / (Date.UTC(year, month + 1, 1) - Date.UTC(year, month, 1))
      const count = Math.round(((yearCount * REGISTRY_MONTH_WEIGHTS[month]!) / weightSum) * elapsed)
      const dates = Array.from({ length: count }, () => start + rng() * (end - start)).sort(
        (a, b) => a - b,
      )
      for (const time of dates) {
        index++
        yield registryContract(new Date(Math.floor(time / 1000) * 1000), index)
      }
    }
  }

  function registryContract(registeredAt: Date, index: number): DealSeed {
    const band = weighted(rng, REGISTRY_AMOUNT_BANDS)
    const amount = logUniform(rng, band.min, band.max)
    const big = amount >= 3_000_000
    const contractType = weighted<ContractType>(
      rng,
      big
        ? [
            ['service', 46],
            ['development', 40],
            ['transfer', 8],
            ['license', 6],
          ]
        : [
            ['service', 38],
            ['development', 30],
            ['consulting', 16],
            ['transfer', 9],
            ['license', 7],
          ],
    )
    // The registry is the sellers' city's: almost every seller is local. A local university
    // or institute sells about half the contracts, and about a third of that goes to local
    // buyers (the plan's 30 %); a local enterprise sells to local buyers more often.
    const remoteSeller = chance(rng, 0.05)
    const seller = remoteSeller
      ? pick(rng, remoteEnterprises.length > 0 ? remoteEnterprises : localEnterprises)
      : chance(rng, 0.5)
        ? pick(rng, localResearch)
        : pick(rng, localEnterprises)
    const localBuyer = remoteSeller || chance(rng, isResearch(seller) ? 0.32 : 0.5)
    const buyerPool = chance(rng, 0.06)
      ? publicBuyers
      : localBuyer || remoteEnterprises.length === 0
        ? localEnterprises
        : remoteEnterprises
    const notSeller = (org: OrgSeed) => org.externalId !== seller.externalId
    const buyers = buyerPool.filter(
      (org) => notSeller(org) && isLocal(org.regionCode) === localBuyer,
    )
    const buyer = pick(rng, buyers.length > 0 ? buyers : localEnterprises.filter(notSeller))
    const subType =
      contractType === 'service' && amount >= 1_000_000
        ? '技术服务'
        : weighted(rng, SUB_TYPES[contractType])
    const subject = dealSubject(rng, topicsOf(seller), contractType)
    const contractAmount = roundAmount(rng, amount)
    const techShare =
      contractType === 'transfer' || contractType === 'license'
        ? 0.9 + rng() * 0.1
        : 0.6 + rng() * 0.4
    const age = (now.getTime() - registeredAt.getTime()) / DAY_MS
    const status = weighted<DealSeedStatus>(
      rng,
      age > 730
        ? [
            ['completed', 90],
            ['performing', 10],
          ]
        : age > 365
          ? [
              ['completed', 55],
              ['performing', 45],
            ]
          : [
              ['registered', 40],
              ['performing', 50],
              ['completed', 10],
            ],
    )
    const signedAt = addDays(registeredAt, -(3 + rng() * 40))
    const key = `${chinaYear(registeredAt)}${seller.regionCode}`
    const serial = serials.get(key) ?? REGISTRY_SERIAL_START
    serials.set(key, serial + 1)
    return {
      externalId: `registry-${pad(index, 7)}`,
      title: dealTitle(rng, subType, subject),
      contractType,
      subType,
      sellerOrgExternalId: seller.externalId,
      buyerOrgExternalId: buyer.externalId,
      contractAmount,
      techTransactionAmount: Math.min(contractAmount, roundTo(contractAmount * techShare, 100)),
      status,
      signedAt,
      registeredAt,
      registrationNo: `${key}${pad(serial, 6)}`,
      fieldCode: subject.topic.fieldCode,
      sellerRegionCode: seller.regionCode,
      buyerRegionCode: buyer.regionCode,
      resultExternalId: null,
      needExternalId: null,
      createdAt: addDays(signedAt, -(7 + rng() * 60)),
    }
  }
}
