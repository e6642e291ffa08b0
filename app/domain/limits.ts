/**
 * How long the texts of listings, experts and organizations may be, in characters: one table
 * read by the validation (forms, API, importer), the forms' counters, and checked against the
 * database columns by a test. Each limit is set from real records, with the longest real
 * value seen beside it, so that an institution's genuine file is never refused for being real.
 */
export const TEXT_LIMITS = {
  /**
   * Results and needs. Chinese patent titles are short (CNIPA asks for at most 25 characters,
   * 40 in chemistry), but results are also named after papers, and English paper titles often
   * pass 100 characters: "Epidemiological and clinical characteristics of 99 cases of 2019
   * novel coronavirus pneumonia in Wuhan, China: a descriptive study" (The Lancet, 2020) has 131.
   */
  listingTitle: 200,
  listingTitleMin: 4,
  /** A paper's abstract: the longest of the 592 real abstracts in tests/eval is 819 characters. */
  resultSummary: 2_000,
  resultSummaryMin: 20,
  resultDescription: 20_000,
  needDescription: 5_000,
  needDescriptionMin: 20,
  /**
   * One keyword. Author keywords of real papers include English terms, chemical and
   * instrument names: "高效液相色谱法 2-(2-喹啉偶氮)-5-二乙氨基酚(QADEAP) 金属元素" (39),
   * "stem cell transplantation" (25), "固体13C、29Si CP/MAS NMR" (21).
   */
  keyword: 60,
  /** Papers carry three to eight author keywords. */
  keywordsPerListing: 10,
  /**
   * Organizations, as registered: "中国科学院西安光学精密机械研究所瞬态光学与光子技术国家重点实验室"
   * (32), "中国石油天然气股份有限公司长庆油田分公司第三采油厂" (25); English names are longer:
   * "Xi'an Institute of Optics and Precision Mechanics, Chinese Academy of Sciences" (78).
   */
  orgName: 100,
  /** Development zones and districts: "西安高新技术产业开发区" (11), "陕西西咸新区沣东新城" (10). */
  zone: 50,
  /**
   * People's names, including Uyghur and other names written in Chinese with a middle dot
   * ("阿卜杜热依木·阿卜杜克热木", 13) and foreign names in Latin letters.
   */
  personName: 50,
  /** Titles of posts: "教授、博士生导师、国家杰出青年科学基金获得者" (22). */
  jobTitle: 50,
  expertBio: 2_000,
  /** Identifiers from an institution's own system, carried through imports. */
  externalId: 100,
  /** 技术合同认定登记's sub-types: the longest is "专利申请权转让" (7); the column allows 30. */
  contractSubType: 30,
  /** Contracts are named after the listing they started from ("对接：…"), cut to fit. */
  dealTitle: 200,
  /** Notices quote titles and names, and are cut to fit (clampText). */
  notificationTitle: 200,
  notificationBody: 1_000,
} as const

/** Cuts a generated text (a notice quoting a title) to a column's length, marking the cut. */
export function clampText(text: string, max: number) {
  const characters = [...text]
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`
}
