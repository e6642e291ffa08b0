// The demo generator's word lists, kept as data next to this file and checked once when loaded,
// so that a typo in a JSON file fails at start (and in the tests) instead of yielding odd text.
// Listings are written from topics: each topic is one kind of product of one sub-field and
// carries its own methods, applications, figures and problems, so a listing never borrows
// words from another product (a cement result that talks about leather tanning).
import { z } from 'zod'

import { subFields } from '~/domain/reference'

import organizationsJson from './organizations.json'
import peopleJson from './people.json'
import phrasesJson from './phrases.json'
import electronicsJson from './topics-10-electronics.json'
import biomedicineJson from './topics-20-biomedicine.json'
import aerospaceJson from './topics-30-aerospace.json'
import materialsJson from './topics-40-materials.json'
import servicesJson from './topics-50-services.json'
import energyJson from './topics-60-energy.json'
import environmentJson from './topics-70-environment.json'
import manufacturingJson from './topics-80-manufacturing.json'

/** How a product is named, which decides the title and sentence patterns that fit it. */
export const TOPIC_KINDS = [
  'software', // systems, platforms and software: "一种基于X的Y"
  'device', // equipment and instruments: "一种Y及其控制方法"
  'component', // parts, chips and cells: "一种Y及其制备方法", "A用Y"
  'material', // materials, drugs and reagents: "一种Y及其制备方法"
  'process', // techniques and processes named "…技术/工艺/体系"
  'service', // professional services named "…服务"
  'variety', // crop and livestock varieties: "Y选育"
] as const
export type TopicKind = (typeof TOPIC_KINDS)[number]

/** `{a-b}` is an integer between a and b, `{a-b:d}` a number with d decimals. */
export const FIGURE_SLOT = /\{([\d.]+)-([\d.]+)(?::(\d))?\}/g

const figureSpecSchema = z.string().superRefine((spec, ctx) => {
  const slots = [...spec.matchAll(FIGURE_SLOT)]
  if (slots.length === 0) ctx.addIssue({ code: 'custom', message: `no {a-b} slot in "${spec}"` })
  for (const [slot, low, high] of slots)
    if (!(Number(low) < Number(high)))
      ctx.addIssue({ code: 'custom', message: `empty range ${slot} in "${spec}"` })
  if (/[{}]/.test(spec.replace(FIGURE_SLOT, '')))
    ctx.addIssue({ code: 'custom', message: `stray brace in "${spec}"` })
})

// Keywords are at most 20 characters in the listing schema; terms stay well below that.
const termSchema = z.string().trim().min(2).max(16)
const distinct = (list: readonly string[]) => new Set(list).size === list.length

const topicSchema = z.object({
  kind: z.enum(TOPIC_KINDS),
  products: z.array(termSchema).min(1).refine(distinct, 'duplicate product'),
  methods: z.array(termSchema).min(4).refine(distinct, 'duplicate method'),
  apps: z.array(termSchema).min(3).refine(distinct, 'duplicate application'),
  metrics: z.array(figureSpecSchema).min(4),
  problems: z.array(z.string().min(4).max(20)).min(3).refine(distinct, 'duplicate problem'),
  /** Places where such results are deployed (长庆油田, 渭北): "已在X开展示范", never "X领域". */
  sites: z.array(termSchema).min(1).optional(),
})
const topicFileSchema = z.record(z.string().regex(/^\d{3}$/), z.array(topicSchema).min(4))

export interface Topic extends z.infer<typeof topicSchema> {
  /** Stable within the data files: sub-field code and position, e.g. '707-5'. */
  id: string
  fieldCode: string
}

function loadTopics(): Topic[] {
  const files = [
    electronicsJson,
    biomedicineJson,
    aerospaceJson,
    materialsJson,
    servicesJson,
    energyJson,
    environmentJson,
    manufacturingJson,
  ]
  const loaded = files.flatMap((file) =>
    Object.entries(topicFileSchema.parse(file)).flatMap(([fieldCode, list]) =>
      list.map((topic, index) => ({ ...topic, id: `${fieldCode}-${index + 1}`, fieldCode })),
    ),
  )
  const missing = subFields.filter((sub) => !loaded.some((topic) => topic.fieldCode === sub.code))
  if (missing.length > 0)
    throw new Error(`vocabulary: no topics for ${missing.map((sub) => sub.code).join(', ')}`)
  // A product names one topic, so that a title tells which topic its text must follow.
  const products = loaded.flatMap((topic) => topic.products)
  const repeated = products.filter((product, index) => products.indexOf(product) !== index)
  if (repeated.length > 0) throw new Error(`vocabulary: products in two topics: ${repeated}`)
  return loaded
}

export const topics: readonly Topic[] = loadTopics()

const topicsByField = new Map<string, Topic[]>()
for (const topic of topics) {
  const list = topicsByField.get(topic.fieldCode) ?? []
  list.push(topic)
  topicsByField.set(topic.fieldCode, list)
}

/** The topics of a sub-field ('707'); throws for a code without any, which is a bug here. */
export function getTopics(fieldCode: string): readonly Topic[] {
  const list = topicsByField.get(fieldCode)
  if (!list) throw new Error(`vocabulary: no topics for sub-field ${fieldCode}`)
  return list
}

const weightedSchema = z.array(z.tuple([z.string().min(1), z.number().positive()])).min(1)
const weightMapSchema = z.record(z.string(), z.number().positive())

const organizationsSchema = z.object({
  industries: z
    .array(
      z.object({
        /** Words between the brand core and the company suffix. */
        words: z.array(z.string().min(1)).min(1),
        /** Industry label stored on the organization. */
        label: z.string().min(1),
        /** Sub-fields the company works in. */
        fields: z.array(z.string().regex(/^\d{3}$/)).min(1),
        /** Products of those fields such a company would not make (a 煤化工 firm tanning leather). */
        exclude: z.array(z.string()).optional(),
        weight: z.number().positive(),
      }),
    )
    .min(1),
  localBrands: z.array(z.string().min(1)).min(1),
  brands: z.array(z.string().min(1)).min(1),
  companySuffixes: weightedSchema,
  /** Most technology companies cluster in 雁塔 (高新区), 未央 (经开区) and 长安. */
  districtWeights: weightMapSchema,
  /** The district each development zone mostly lies in. */
  zoneDistricts: z.record(z.string(), z.string().regex(/^\d{6}$/)),
  zoneWeights: weightMapSchema,
  /** Sub-fields each institution is strong in, so its experts and results look like it. */
  institutionFields: z.record(z.string(), z.array(z.string().regex(/^\d{3}$/)).min(1)),
  /** How many experts (and so results and deals) an institution attracts, relative to others. */
  institutionWeights: weightMapSchema,
})

const peopleSchema = z.object({
  surnames: weightedSchema,
  givenChars: z.array(z.string().length(1)).min(20),
  universityTitles: weightedSchema,
  instituteTitles: weightedSchema,
})

const phrasesSchema = z.object({
  /** Extra requirements an enterprise states in a need, for every kind (an enum record is exhaustive). */
  needTerms: z.record(z.enum(['common', ...TOPIC_KINDS]), z.array(z.string().min(2)).min(2)),
})

export const organizationVocabulary = organizationsSchema.parse(organizationsJson)
export const peopleVocabulary = peopleSchema.parse(peopleJson)
export const phraseVocabulary = phrasesSchema.parse(phrasesJson)

const knownFields = new Set(subFields.map((sub) => sub.code))
for (const code of [
  ...organizationVocabulary.industries.flatMap((industry) => industry.fields),
  ...Object.values(organizationVocabulary.institutionFields).flat(),
])
  if (!knownFields.has(code)) throw new Error(`vocabulary: unknown sub-field ${code}`)

export type Industry = (typeof organizationVocabulary.industries)[number]

/** The topics a company of an industry works on: those of its fields but the excluded ones. */
export function getIndustryTopics(industry: Industry): readonly Topic[] {
  const all = industry.fields.flatMap((code) => getTopics(code))
  const excluded = new Set(industry.exclude)
  for (const product of excluded)
    if (!all.some((topic) => topic.products.includes(product)))
      throw new Error(`vocabulary: ${industry.label} excludes unknown product ${product}`)
  return all.filter((topic) => !topic.products.some((product) => excluded.has(product)))
}

// Every industry's exclusions name real products (checked once here rather than on first use).
for (const industry of organizationVocabulary.industries) getIndustryTopics(industry)
