// Deterministic demo data for the technology market: organizations, experts, results, needs
// and deals. Everything derives from a seeded PRNG and an injectable `now`, so a seed always
// yields the same market (tests, screenshots and search benchmarks depend on that).
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

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

interface Vocab {
  /** Technical methods and terms: "一种基于X的…", keywords. */
  methods: readonly string[]
  /** What a result is or a need asks for. */
  products: readonly string[]
  /** Where it is used. */
  apps: readonly string[]
}

/** Per sub-field vocabulary (all 52 sub-fields of 国家重点支持的高新技术领域). */
const VOCAB: Record<string, Vocab> = {
  '101': {
    methods: [
      '深度学习',
      '知识图谱',
      '大语言模型',
      '自然语言处理',
      '微服务架构',
      '低代码开发',
      '数字孪生',
      '多智能体协同',
    ],
    products: [
      '智能问答系统',
      '工业设计仿真软件',
      '企业资源计划管理平台',
      '代码缺陷自动检测工具',
      '多源数据融合分析平台',
      '智能排产调度软件',
    ],
    apps: ['智能制造', '政务服务', '金融风控', '医疗健康', '教育培训'],
  },
  '102': {
    methods: [
      '集成电路设计',
      '射频前端',
      '碳化硅功率器件',
      '氮化镓外延',
      '先进封装',
      '低功耗SoC',
      'MEMS工艺',
      '模拟电路设计',
    ],
    products: [
      '高精度模数转换芯片',
      '碳化硅MOSFET功率器件',
      '毫米波射频收发芯片',
      '低功耗物联网SoC芯片',
      '系统级封装模组',
      '车规级电源管理芯片',
    ],
    apps: ['新能源汽车', '5G通信', '工业控制', '消费电子', '航空电子'],
  },
  '103': {
    methods: [
      '边缘计算',
      '云计算',
      '分布式存储',
      '物联网',
      '异构计算',
      '虚拟化',
      '工业互联网',
      '国产化适配',
    ],
    products: [
      '边缘计算网关',
      '分布式存储系统',
      '工业互联网标识解析平台',
      '国产化服务器管理软件',
      '智能终端操作系统',
      '物联网设备接入平台',
    ],
    apps: ['智慧园区', '工业现场', '数据中心', '智慧城市'],
  },
  '104': {
    methods: [
      '5G',
      '毫米波',
      '卫星通信',
      '光纤通信',
      '软件定义网络',
      '大规模MIMO',
      '时间敏感网络',
      '无线自组网',
    ],
    products: [
      '5G行业专网基站',
      '低轨卫星通信终端',
      '高速光模块',
      '无线自组网电台',
      '工业无线通信模组',
      '宽带无线集群通信系统',
    ],
    apps: ['应急通信', '矿山井下', '电力物联网', '智能网联汽车', '工业互联网'],
  },
  '105': {
    methods: [
      '超高清视频',
      '视频编解码',
      '虚拟制作',
      '三维声',
      '融媒体',
      '智能剪辑',
      'HDR',
      '云转播',
    ],
    products: [
      '8K超高清视频编码器',
      '融媒体内容生产平台',
      '虚拟演播室系统',
      '智能视频剪辑系统',
      '三维声制作系统',
      '超高清转播车系统',
    ],
    apps: ['广播电视', '体育赛事转播', '网络视听', '文化旅游'],
  },
  '106': {
    methods: [
      '多层陶瓷共烧',
      '薄膜沉积',
      '压电陶瓷',
      '柔性电子',
      '微波介质',
      '声表面波',
      '高频覆铜板',
      '磁性材料',
    ],
    products: [
      '高可靠片式多层陶瓷电容器',
      '柔性压力传感器',
      '声表面波滤波器',
      '微波介质陶瓷谐振器',
      '高功率薄膜电阻',
      '一体成型功率电感',
    ],
    apps: ['消费电子', '航空航天', '新能源汽车', '5G基站'],
  },
  '107': {
    methods: [
      '商用密码',
      '零信任',
      '入侵检测',
      '区块链',
      '隐私计算',
      '态势感知',
      '数据脱敏',
      '漏洞挖掘',
    ],
    products: [
      '工控安全防护系统',
      '网络安全态势感知平台',
      '数据安全隐私计算平台',
      '零信任访问控制网关',
      '国密算法安全芯片',
      '数据库审计系统',
    ],
    apps: ['电力调度', '政务云', '工业控制系统', '金融支付'],
  },
  '108': {
    methods: [
      '车路协同',
      '列车运行控制',
      '交通信号优化',
      '北斗定位',
      '轨道状态检测',
      '多传感器融合',
      '智能调度',
      '交通流预测',
    ],
    products: [
      '城市交通信号自适应控制系统',
      '轨道交通列车运行控制系统',
      '车路协同路侧单元',
      '高速公路事件检测系统',
      '轨道几何状态检测装置',
      '公交智能调度系统',
    ],
    apps: ['城市轨道交通', '高速公路', '城市交通管理', '重载铁路'],
  },
  '201': {
    methods: [
      '单克隆抗体',
      '基因编辑',
      'mRNA',
      '细胞治疗',
      '重组蛋白表达',
      '合成生物学',
      'CAR-T',
      '高通量筛选',
    ],
    products: [
      '人源化单克隆抗体药物',
      '重组蛋白表达体系',
      '肿瘤免疫细胞治疗制剂',
      '核酸快速检测试剂盒',
      '基因治疗病毒载体',
      '新型佐剂疫苗',
    ],
    apps: ['肿瘤治疗', '传染病防控', '罕见病治疗', '体外诊断'],
  },
  '202': {
    methods: [
      '有效成分提取',
      '指纹图谱',
      '超临界萃取',
      '大孔树脂纯化',
      '药效物质基础研究',
      '经典名方开发',
      '中药配方颗粒',
      '道地药材规范化种植',
    ],
    products: [
      '杜仲叶总黄酮提取物',
      '中药配方颗粒',
      '经典名方复方制剂',
      '绞股蓝总皂苷',
      '丹参酮提取物',
      '中药饮片质量控制体系',
    ],
    apps: ['心脑血管疾病', '中药饮片生产', '大健康产品', '慢病管理'],
  },
  '203': {
    methods: [
      '手性合成',
      '连续流反应',
      '晶型研究',
      '杂质控制',
      '绿色催化',
      '药物分子设计',
      '一致性评价',
      '结构修饰',
    ],
    products: [
      '抗肿瘤小分子靶向药物',
      '原料药绿色合成工艺',
      '手性药物中间体',
      '抗病毒化学药物',
      '改良型新药',
      '降糖药物原料药',
    ],
    apps: ['原料药生产', '仿制药开发', '创新药研发', '医药中间体'],
  },
  '204': {
    methods: [
      '缓控释',
      '纳米载药',
      '脂质体',
      '透皮给药',
      '微球',
      '3D打印制剂',
      '吸入给药',
      '固体分散体',
    ],
    products: [
      '长效缓释微球注射剂',
      '纳米脂质体制剂',
      '透皮贴剂',
      '口服缓控释片',
      '干粉吸入剂',
      '口腔速溶膜剂',
    ],
    apps: ['慢性病用药', '肿瘤靶向给药', '儿童用药', '精神类疾病治疗'],
  },
  '205': {
    methods: [
      '医学影像',
      '人工智能辅助诊断',
      '超声成像',
      '手术机器人',
      '可穿戴监测',
      '微创介入',
      '光学相干断层成像',
      '远程医疗',
    ],
    products: [
      '智能超声诊断设备',
      '骨科手术导航机器人',
      '可穿戴心电监测仪',
      '医学影像辅助诊断软件',
      '血管介入导管',
      '便携式血液分析仪',
    ],
    apps: ['基层医疗', '三甲医院', '家庭健康监护', '康复医学'],
  },
  '206': {
    methods: [
      '酶制剂',
      '微生物发酵',
      '生物催化',
      '代谢工程',
      '固定化酶',
      '合成生物学',
      '生物降解',
      '菌种选育',
    ],
    products: [
      '高活性工业酶制剂',
      '生物基聚乳酸',
      '发酵法氨基酸生产工艺',
      '生物催化合成香料',
      '功能性益生菌',
      '生物表面活性剂',
    ],
    apps: ['食品加工', '纺织印染', '饲料添加剂', '精细化工'],
  },
  '207': {
    methods: [
      '分子育种',
      '生物农药',
      '动物疫苗',
      '植物组织培养',
      '土壤微生物',
      '基因组选择',
      '病虫害绿色防控',
      '设施农业',
    ],
    products: [
      '抗旱高产小麦新品种',
      '猕猴桃高效栽培技术',
      '复合微生物菌肥',
      '畜禽疫病快速诊断试剂',
      '苹果腐烂病生物防治剂',
      '奶山羊良种繁育技术',
    ],
    apps: ['粮食生产', '果业', '畜牧养殖', '设施蔬菜'],
  },
  '301': {
    methods: [
      '复合材料结构',
      '飞行控制',
      '航空发动机',
      '无人机',
      '适航验证',
      '结构健康监测',
      '气动设计',
      '增材制造',
    ],
    products: [
      '长航时固定翼无人机',
      '航空发动机涡轮叶片',
      '机载综合航电系统',
      '飞机结构健康监测系统',
      '复合材料机翼壁板',
      '起落架作动系统',
    ],
    apps: ['通用航空', '民用飞机', '应急救援', '航空维修'],
  },
  '302': {
    methods: [
      '液体火箭发动机',
      '卫星导航',
      '遥感',
      '姿轨控制',
      '热防护',
      '星载计算机',
      '空间电源',
      '在轨服务',
    ],
    products: [
      '液氧煤油发动机涡轮泵',
      '北斗高精度定位终端',
      '微小卫星姿态控制系统',
      '遥感影像智能解译系统',
      '卫星电源控制器',
      '可重复使用热防护结构',
    ],
    apps: ['商业航天', '国土资源监测', '导航定位', '空间科学'],
  },
  '401': {
    methods: [
      '钛合金',
      '高温合金',
      '粉末冶金',
      '镁合金',
      '难熔金属',
      '热处理',
      '精密铸造',
      '表面改性',
    ],
    products: [
      '医用钛合金棒材',
      '镍基高温合金叶片',
      '高强韧镁合金型材',
      '钼铌难熔金属靶材',
      '粉末冶金齿轮',
      '高强铝合金锻件',
    ],
    apps: ['航空航天', '医疗器械', '汽车轻量化', '电子信息'],
  },
  '402': {
    methods: [
      '先进陶瓷',
      '碳纤维',
      '石墨烯',
      '特种玻璃',
      '陶瓷基复合材料',
      '气凝胶',
      '碳化硅',
      '化学气相沉积',
    ],
    products: [
      '碳化硅陶瓷基复合材料',
      '二氧化硅气凝胶隔热毡',
      '石墨烯导热膜',
      '高强度特种玻璃',
      '氮化硅陶瓷轴承球',
      '碳/碳复合材料刹车盘',
    ],
    apps: ['航空航天', '新能源汽车', '建筑节能', '半导体装备'],
  },
  '403': {
    methods: [
      '聚酰亚胺',
      '可降解塑料',
      '特种橡胶',
      '功能涂层',
      '工程塑料改性',
      '高分子膜',
      '树脂基复合材料',
      '无卤阻燃',
    ],
    products: [
      '耐高温聚酰亚胺薄膜',
      '全生物降解地膜',
      '无卤阻燃工程塑料',
      '重防腐功能涂层',
      '高性能分离膜',
      '耐油特种橡胶密封件',
    ],
    apps: ['柔性显示', '农业覆盖', '电子电器', '石油化工'],
  },
  '404': {
    methods: [
      '组织工程支架',
      '可降解镁合金',
      '医用水凝胶',
      '羟基磷灰石',
      '抗菌涂层',
      '胶原蛋白',
      '3D打印植入物',
      '表面生物活化',
    ],
    products: [
      '可降解骨科内固定器械',
      '医用水凝胶敷料',
      '3D打印多孔钛人工骨',
      '重组胶原蛋白修复材料',
      '抗菌牙科种植体',
      '可吸收止血材料',
    ],
    apps: ['骨科修复', '创面愈合', '口腔医学', '组织再生'],
  },
  '405': {
    methods: [
      '电子化学品',
      '表面活性剂',
      '催化剂',
      '水处理剂',
      '含能材料',
      '高纯试剂',
      '油田化学品',
      '染料中间体',
    ],
    products: [
      '电子级湿化学品',
      '油田用高效驱油剂',
      '环保型水处理药剂',
      '高选择性加氢催化剂',
      '光刻胶配套试剂',
      '低温破乳剂',
    ],
    apps: ['半导体制造', '油气开采', '工业水处理', '精细化工'],
  },
  '406': {
    methods: [
      '文物保护材料',
      '陶瓷釉料',
      '数字印刷墨水',
      '纳米加固',
      '矿物颜料',
      '纸质文物修复',
      '光固化',
      '仿古工艺',
    ],
    products: [
      '土遗址纳米加固材料',
      '文物保护封护剂',
      '艺术陶瓷新型釉料',
      '数字喷墨印花墨水',
      '壁画修复材料',
      '古籍修复用纸',
    ],
    apps: ['文物保护', '文化创意', '艺术陶瓷', '印刷包装'],
  },
  '501': {
    methods: [
      '工业设计',
      '仿真分析',
      '数字孪生',
      '正向设计',
      '协同研发',
      '快速原型',
      '有限元分析',
      '人因工程',
    ],
    products: [
      '产品协同研发设计平台',
      '工业设计服务体系',
      '多物理场仿真分析服务',
      '快速原型验证平台',
      '数字孪生设计系统',
      '装备外观与结构设计',
    ],
    apps: ['装备制造', '汽车零部件', '消费电子', '医疗器械'],
  },
  '502': {
    methods: [
      '无损检测',
      '计量校准',
      '失效分析',
      '电磁兼容',
      '可靠性试验',
      '标准化',
      '环境试验',
      '质量追溯',
    ],
    products: [
      '在线无损检测系统',
      '电磁兼容测试服务平台',
      '产品可靠性评价体系',
      '计量校准装置',
      '质量追溯系统',
      '材料失效分析服务',
    ],
    apps: ['航空零部件', '电子产品', '压力容器', '食品安全'],
  },
  '503': {
    methods: [
      '大数据分析',
      '云服务',
      '数据治理',
      '人工智能',
      '运维自动化',
      '系统集成',
      '信创',
      '数据中台',
    ],
    products: [
      '企业数据中台',
      '智能运维平台',
      '政务大数据治理系统',
      '信创适配云平台',
      '智能客服系统',
      '数字化转型咨询服务',
    ],
    apps: ['政务服务', '制造企业数字化转型', '金融', '教育'],
  },
  '504': {
    methods: [
      '遥感测绘',
      '地理信息系统',
      '北斗高精度定位',
      '无人机航测',
      '倾斜摄影',
      '激光点云处理',
      '实景三维建模',
      '高性能计算',
    ],
    products: [
      '无人机电力巡检服务系统',
      '地理信息三维建模平台',
      '高性能计算服务平台',
      '实景三维测绘服务',
      '北斗形变监测服务',
      '国土空间规划辅助决策系统',
    ],
    apps: ['自然资源', '电网运维', '城市规划', '科研机构'],
  },
  '505': {
    methods: [
      '专利分析',
      '技术评估',
      '成果评价',
      '知识产权运营',
      '技术经纪',
      '专利导航',
      '价值评估',
      '技术转移',
    ],
    products: [
      '专利导航分析系统',
      '科技成果价值评估模型',
      '技术转移服务平台',
      '知识产权运营平台',
      '技术需求智能匹配系统',
      '高价值专利培育服务',
    ],
    apps: ['高校院所', '科技型中小企业', '产业园区', '技术交易市场'],
  },
  '506': {
    methods: [
      '智能仓储',
      '路径规划',
      '冷链物流',
      '供应链协同',
      '无人配送',
      '物流追溯',
      'RFID',
      '跨境电商',
    ],
    products: [
      '智能仓储管理系统',
      '冷链物流温控监测系统',
      '无人配送车',
      '供应链协同平台',
      '物流车辆智能调度系统',
      '电商订单智能分拣系统',
    ],
    apps: ['快递物流', '农产品流通', '跨境贸易', '制造业供应链'],
  },
  '507': {
    methods: [
      '智慧城市',
      '城市生命线',
      '网格化管理',
      '智慧社区',
      '应急管理',
      '城市信息模型',
      '视频智能分析',
      '智慧养老',
    ],
    products: [
      '城市生命线安全监测系统',
      '智慧社区综合服务平台',
      '城市信息模型平台',
      '智慧养老服务系统',
      '城市内涝预警系统',
      '燃气管网泄漏监测系统',
    ],
    apps: ['城市治理', '社区服务', '应急管理', '养老服务'],
  },
  '508': {
    methods: [
      '虚拟现实',
      '增强现实',
      '三维重建',
      '文化遗产数字化',
      '动作捕捉',
      '沉浸式体验',
      '数字人',
      '全息投影',
    ],
    products: [
      '文化遗产数字化保护系统',
      '沉浸式虚拟展示系统',
      '文物三维重建平台',
      '数字博物馆',
      '增强现实导览系统',
      '虚拟数字人交互系统',
    ],
    apps: ['博物馆', '文化旅游', '数字出版', '演艺'],
  },
  '601': {
    methods: ['光伏', '风电', '钙钛矿', '光热发电', '生物质能', '地热能', '异质结', '光储一体化'],
    products: [
      '高效异质结光伏组件',
      '钙钛矿叠层太阳能电池',
      '风电机组智能运维系统',
      '生物质气化发电装置',
      '中深层地热供暖系统',
      '光储充一体化系统',
    ],
    apps: ['分布式光伏', '风电场', '农村清洁供暖', '园区微电网'],
  },
  '602': {
    methods: [
      '电解水制氢',
      '燃料电池',
      '储氢材料',
      '质子交换膜',
      '固体氧化物',
      '核电安全',
      '氢气纯化',
      '加氢站',
    ],
    products: [
      '质子交换膜燃料电池电堆',
      '碱性电解水制氢装置',
      '固态储氢装置',
      '核电站关键阀门',
      '氢燃料电池发动机系统',
      '加氢站压缩机',
    ],
    apps: ['氢能交通', '化工园区', '核电站', '分布式能源'],
  },
  '603': {
    methods: [
      '锂离子电池',
      '钠离子电池',
      '固态电池',
      '液流电池',
      '超级电容器',
      '电池管理',
      '正极材料',
      '储能变流',
    ],
    products: [
      '高性能锂电池正极材料',
      '钠离子电池',
      '全钒液流电池储能系统',
      '电池管理系统',
      '硫化物固态电解质',
      '储能变流器',
    ],
    apps: ['新能源汽车', '电网储能', '通信基站备电', '两轮电动车'],
  },
  '604': {
    methods: ['余热回收', '高效电机', '热泵', '变频调速', '能源管理', '磁悬浮', '蓄热', '节能照明'],
    products: [
      '工业余热回收发电装置',
      '永磁同步高效电机',
      '空气源热泵机组',
      '磁悬浮离心鼓风机',
      '能源管控平台',
      '相变蓄热装置',
    ],
    apps: ['钢铁冶金', '建筑供暖', '化工园区', '数据中心'],
  },
  '701': {
    methods: [
      '膜生物反应器',
      '高级氧化',
      '厌氧消化',
      '污水资源化',
      '反渗透',
      '高盐废水处理',
      '人工湿地',
      '智慧水务',
    ],
    products: [
      '高盐废水零排放处理系统',
      '一体化污水处理设备',
      '膜生物反应器',
      '农村分散式污水处理装置',
      '智慧水务管理平台',
      '工业废水深度处理工艺',
    ],
    apps: ['煤化工', '市政污水', '农村生活污水', '工业园区'],
  },
  '702': {
    methods: [
      '脱硫脱硝',
      'VOCs治理',
      '除尘',
      '催化燃烧',
      '低氮燃烧',
      '超低排放',
      '活性炭吸附',
      '烟气监测',
    ],
    products: [
      '低温SCR脱硝催化剂',
      'VOCs催化燃烧装置',
      '湿式电除尘器',
      '燃气锅炉低氮燃烧器',
      '烟气超低排放系统',
      '焦化烟气协同治理系统',
    ],
    apps: ['燃煤电厂', '钢铁', '焦化', '工业涂装'],
  },
  '703': {
    methods: [
      '煤矸石利用',
      '粉煤灰利用',
      '建筑垃圾再生',
      '危废处置',
      '餐厨垃圾处理',
      '锂电池回收',
      '污泥处理',
      '尾矿综合利用',
    ],
    products: [
      '煤矸石烧结砖生产技术',
      '粉煤灰基地质聚合物',
      '建筑垃圾再生骨料',
      '废旧锂电池回收工艺',
      '污泥干化焚烧系统',
      '餐厨垃圾厌氧发酵装置',
    ],
    apps: ['煤炭', '建材', '城市环卫', '新能源'],
  },
  '704': {
    methods: [
      '噪声控制',
      '振动控制',
      '电磁辐射防护',
      '声屏障',
      '隔振',
      '吸声材料',
      '有源降噪',
      '光污染控制',
    ],
    products: [
      '轨道交通声屏障',
      '变电站噪声综合治理系统',
      '高效吸声材料',
      '设备隔振装置',
      '电磁屏蔽材料',
      '有源降噪耳罩',
    ],
    apps: ['轨道交通', '变电站', '工业厂区', '城市道路'],
  },
  '705': {
    methods: [
      '在线监测',
      '激光雷达',
      '光谱分析',
      '传感网络',
      '污染溯源',
      '应急处置',
      '无人机监测',
      '水质预警',
    ],
    products: [
      '大气颗粒物激光雷达',
      '水质多参数在线监测仪',
      '污染源溯源分析系统',
      '环境应急处置装备',
      '便携式气体检测仪',
      '土壤重金属快速检测仪',
    ],
    apps: ['生态环境监管', '化工园区', '流域治理', '突发环境事件'],
  },
  '706': {
    methods: [
      '水土保持',
      '生态修复',
      '矿山复垦',
      '土壤修复',
      '荒漠化防治',
      '湿地保护',
      '植被恢复',
      '生态监测',
    ],
    products: [
      '矿山生态修复技术体系',
      '重金属污染土壤修复剂',
      '黄土高原水土保持技术',
      '秦岭生态监测系统',
      '湿地生态修复技术',
      '沙化土地植被恢复技术',
    ],
    apps: ['矿山', '黄河流域', '秦岭生态保护', '农田'],
  },
  '707': {
    methods: [
      '清洁工艺',
      '资源循环',
      '绿色制造',
      '碳捕集',
      '无铬鞣制',
      '节水工艺',
      '低碳技术',
      '工艺替代',
    ],
    products: [
      '皮革无铬鞣制工艺',
      '二氧化碳捕集利用系统',
      '印染废水回用技术',
      '绿色电镀工艺',
      '低碳水泥生产技术',
      '铸造废砂再生系统',
    ],
    apps: ['皮革', '纺织印染', '电镀', '水泥'],
  },
  '708': {
    methods: [
      '智能开采',
      '煤炭清洁利用',
      '地球物理勘探',
      '页岩气开发',
      '充填开采',
      '低阶煤分质利用',
      '油气增产',
      '选矿',
    ],
    products: [
      '综采工作面智能控制系统',
      '低阶煤热解提质技术',
      '煤矿充填开采装备',
      '页岩气体积压裂技术',
      '低品位金属矿选冶技术',
      '油田三次采油技术',
    ],
    apps: ['煤矿', '油气田', '金属矿山', '煤化工'],
  },
  '801': {
    methods: [
      '可编程控制',
      '分布式控制',
      '机器视觉',
      '预测控制',
      '工业互联网',
      '故障诊断',
      '数字孪生',
      '边缘智能',
    ],
    products: [
      '分布式控制系统',
      '工业过程先进控制软件',
      '机器视觉在线检测系统',
      '设备故障预测与健康管理系统',
      '智能工厂管控平台',
      '工业机器人控制器',
    ],
    apps: ['石油化工', '冶金', '电子制造', '食品饮料'],
  },
  '802': {
    methods: [
      '瓦斯监测',
      '安全预警',
      '危化品监管',
      '防爆技术',
      '人员定位',
      '隐患排查',
      '火灾探测',
      '粉尘防爆',
    ],
    products: [
      '煤矿瓦斯智能监测预警系统',
      '危化品储罐安全监测系统',
      '井下人员精确定位系统',
      '防爆巡检机器人',
      '智能火灾探测器',
      '粉尘爆炸抑制装置',
    ],
    apps: ['煤矿', '危化品', '建筑施工', '隧道工程'],
  },
  '803': {
    methods: [
      '光谱分析',
      '精密测量',
      '激光测距',
      '太赫兹',
      '质谱',
      '光纤传感',
      '智能传感',
      '量子精密测量',
    ],
    products: [
      '便携式拉曼光谱仪',
      '高精度光纤光栅传感器',
      '激光干涉测量仪',
      '智能电磁流量计',
      '太赫兹无损检测仪',
      '在线气相色谱分析仪',
    ],
    apps: ['工业检测', '环境监测', '计量校准', '科学仪器'],
  },
  '804': {
    methods: [
      '增材制造',
      '激光加工',
      '精密加工',
      '数控技术',
      '搅拌摩擦焊',
      '超快激光',
      '智能产线',
      '表面工程',
    ],
    products: [
      '金属增材制造装备',
      '超快激光精密加工设备',
      '五轴联动数控机床',
      '搅拌摩擦焊装备',
      '智能柔性生产线',
      '激光熔覆再制造装备',
    ],
    apps: ['航空航天', '汽车零部件', '模具制造', '精密电子'],
  },
  '805': {
    methods: [
      '电液伺服',
      '精密传动',
      '智能农机',
      '特种机器人',
      '减速器设计',
      '轴承设计',
      '振动筛分',
      '工程机械',
    ],
    products: [
      '高精度RV减速器',
      '智能采摘机器人',
      '电液伺服控制系统',
      '重载AGV',
      '大型矿用振动筛',
      '盾构机主轴承',
    ],
    apps: ['工程建设', '农业生产', '矿山', '物流仓储'],
  },
  '806': {
    methods: [
      '特高压',
      '智能电网',
      '配电自动化',
      '继电保护',
      '绝缘',
      '柔性直流',
      '局部放电检测',
      '图像识别',
    ],
    products: [
      '输电线路缺陷智能识别系统',
      '配电网故障定位装置',
      '环保型干式变压器',
      '开关柜局部放电在线监测装置',
      '柔性直流换流阀',
      '智能断路器',
    ],
    apps: ['输变电', '配电网', '新能源并网', '工矿企业供电'],
  },
  '807': {
    methods: [
      '电驱动',
      '轻量化',
      '智能驾驶',
      '热管理',
      '转向架',
      '线控制动',
      '车身结构',
      '整车控制',
    ],
    products: [
      '新能源汽车电驱动总成',
      '重卡自动驾驶系统',
      '轻量化铝合金车身',
      '动力电池热管理系统',
      '高速列车转向架',
      '线控制动系统',
    ],
    apps: ['乘用车', '商用车', '城市轨道车辆', '重载货运'],
  },
  '808': {
    methods: [
      '船舶动力',
      '水下机器人',
      '海洋监测',
      '减振降噪',
      '深海耐压',
      '船用复合材料',
      '水声通信',
      '海工平台',
    ],
    products: [
      '无人水下航行器',
      '船舶综合电力推进系统',
      '海洋环境监测浮标',
      '水声通信机',
      '深海耐压壳体',
      '船舶减振降噪装置',
    ],
    apps: ['海洋工程', '远洋航运', '海洋科考', '内河航运'],
  },
  '809': {
    methods: [
      '非遗数字化',
      '传统工艺',
      '数字印刷',
      '智能刺绣',
      '陶瓷烧制',
      '精密铸造',
      '三维扫描',
      '文物复制',
    ],
    products: [
      '非遗项目数字化保护平台',
      '传统手工艺智能化生产装备',
      '耀州窑陶瓷烧制工艺',
      '数字化刺绣系统',
      '仿古青铜器精密铸造技术',
      '民族乐器数控制作工艺',
    ],
    apps: ['非遗传承', '文化旅游', '工艺美术', '文创产品'],
  },
}

function vocabOf(fieldCode: string): Vocab {
  const vocab = VOCAB[fieldCode]
  if (!vocab) throw new Error(`no vocabulary for sub-field ${fieldCode}`)
  return vocab
}

/** The field ('10'…'80') a sub-field code belongs to. */
function parentOf(fieldCode: string): string {
  return fieldCode.slice(0, 1) + '0'
}

type Gen = (rng: Rng) => string

interface FieldDetail {
  /** Performance figures; `{a-b}` is a random integer, `{a-b:d}` a number with d decimals. */
  metrics: readonly string[]
  /** Pain points a research team or an enterprise starts from. */
  problems: readonly string[]
}

/** Figures and problems per sub-field, in units a reader of that field expects. */
const DETAILS: Record<string, FieldDetail> = {
  '101': {
    metrics: [
      '识别准确率达到{94-99.5:1}%',
      '响应时间低于{50-500}毫秒',
      '开发效率提升{30-80}%',
      '支持{1000-20000}个用户并发访问',
    ],
    problems: ['核心工业软件依赖国外产品', '业务数据分散、利用率低', '人工处理工作量大'],
  },
  '102': {
    metrics: [
      '有效位数达到{12-24}位',
      '工作频率达到{24-77}GHz',
      '静态功耗低于{1-50}微安',
      '导通电阻降低{15-40}%',
      '量产良率达到{95-99.5:1}%',
    ],
    problems: ['高端芯片依赖进口', '器件功耗偏高', '封装散热能力不足'],
  },
  '103': {
    metrics: [
      '数据读写性能提升{2-6}倍',
      '单节点接入设备超过{1000-10000}台',
      '端到端时延低于{5-30}毫秒',
      '资源利用率提高{20-50}%',
    ],
    problems: ['现场设备协议不统一', '数据处理时延大', '国产化适配工作量大'],
  },
  '104': {
    metrics: [
      '传输速率达到{1-25}Gbps',
      '通信距离超过{5-50}公里',
      '端到端时延低于{1-10}毫秒',
      '接收灵敏度优于-{95-125}dBm',
    ],
    problems: ['复杂环境下通信不稳定', '网络覆盖不足', '核心设备依赖进口'],
  },
  '105': {
    metrics: [
      '支持8K/{60-120}帧实时编码',
      '同等画质下码率降低{20-50}%',
      '节目制作效率提升{40-200}%',
      '端到端延迟低于{100-500}毫秒',
    ],
    problems: ['超高清内容制作成本高', '传统制作流程效率低', '多平台分发适配困难'],
  },
  '106': {
    metrics: [
      '容量偏差控制在±{1-5}%以内',
      '工作温度上限达到{125-200}℃',
      '插入损耗低于{1-3:1}dB',
      '失效率低于{1-10}FIT',
    ],
    problems: ['高端元器件依赖进口', '产品一致性差', '高温可靠性不足'],
  },
  '107': {
    metrics: [
      '威胁检出率达到{95-99.8:1}%',
      '误报率低于{0.1-2:1}%',
      '加解密速率达到{1-40}Gbps',
      '支持{100-5000}个节点统一管控',
    ],
    problems: ['网络攻击难以及时发现', '数据共享存在泄露风险', '安全设备依赖国外产品'],
  },
  '108': {
    metrics: [
      '路口通行效率提升{10-35}%',
      '事件检测准确率达到{92-99:1}%',
      '定位精度优于{5-30}厘米',
      '列车追踪间隔缩短至{90-120}秒',
    ],
    problems: ['高峰时段道路拥堵严重', '人工巡检效率低', '列车运行间隔难以压缩'],
  },
  '201': {
    metrics: [
      '表达量达到{2-10}g/L',
      '产品纯度达到{98-99.9:1}%',
      '检测灵敏度达到{10-500}拷贝/毫升',
      '检测时间缩短至{15-60}分钟',
    ],
    problems: ['关键原料依赖进口', '目标蛋白表达量偏低', '检测周期长'],
  },
  '202': {
    metrics: [
      '有效成分含量达到{50-95}%',
      '提取率提高{15-40}%',
      '批间差异小于{3-8}%',
      '生产成本降低{20-45}%',
    ],
    problems: ['药材质量不稳定', '提取收率偏低', '质量标准不统一'],
  },
  '203': {
    metrics: [
      '总收率提高{15-45}%',
      '产品纯度达到{99-99.9:1}%',
      '单一杂质低于{0.05-0.1:2}%',
      '三废排放减少{30-70}%',
    ],
    problems: ['合成路线长、收率低', '杂质难以控制', '三废排放量大'],
  },
  '204': {
    metrics: [
      '药物包封率达到{85-98}%',
      '缓释时间达到{7-30}天',
      '生物利用度提高{1-3}倍',
      '批间差异小于{3-8}%',
    ],
    problems: ['患者用药依从性差', '药物生物利用度低', '制剂工艺放大困难'],
  },
  '205': {
    metrics: [
      '诊断准确率达到{92-99:1}%',
      '定位精度达到{0.2-1:1}毫米',
      '单次检测时间缩短至{3-15}分钟',
      '整机成本较进口设备降低{30-60}%',
    ],
    problems: ['高端设备依赖进口', '基层诊断能力不足', '检查效率低'],
  },
  '206': {
    metrics: [
      '酶活力达到{5000-50000}U/g',
      '发酵产率提高{20-60}%',
      '底物转化率达到{90-99}%',
      '生产成本降低{20-45}%',
    ],
    problems: ['菌种产率偏低', '生产能耗高', '产品分离纯化困难'],
  },
  '207': {
    metrics: [
      '亩产提高{8-25}%',
      '田间防治效果达到{80-95}%',
      '化肥用量减少{15-35}%',
      '免疫保护率达到{85-98}%',
    ],
    problems: ['病虫害发生频繁', '品种抗逆性不足', '化肥农药用量大'],
  },
  '301': {
    metrics: [
      '结构减重{10-30}%',
      '续航时间达到{6-30}小时',
      '疲劳寿命提高{1-3}倍',
      '故障诊断准确率达到{90-98:1}%',
    ],
    problems: ['结构重量偏大', '关键部件寿命不足', '试验验证周期长'],
  },
  '302': {
    metrics: [
      '定位精度优于{1-10}厘米',
      '发动机比冲提高{2-8}%',
      '姿态控制精度优于{0.01-0.1:2}°',
      '在轨寿命达到{3-8}年',
    ],
    problems: ['关键部件依赖进口', '研制成本高', '复杂空间环境下可靠性不足'],
  },
  '401': {
    metrics: [
      '抗拉强度达到{600-1500}MPa',
      '延伸率达到{10-30}%',
      '高温持久寿命提高{30-100}%',
      '成材率提高{10-25}%',
    ],
    problems: ['材料性能一致性差', '高端牌号依赖进口', '成材率偏低'],
  },
  '402': {
    metrics: [
      '弯曲强度达到{300-1200}MPa',
      '面内导热系数达到{200-1500}W/(m·K)',
      '长期使用温度可达{800-1600}℃',
      '断裂韧性提高{30-80}%',
    ],
    problems: ['高温服役性能不足', '制备成本高', '批量化生产工艺不成熟'],
  },
  '403': {
    metrics: [
      '耐热温度达到{200-450}℃',
      '拉伸强度达到{80-300}MPa',
      '堆肥条件下降解率达到{90-99}%',
      '阻燃等级达到UL94 V-0级',
    ],
    problems: ['材料耐候性差', '高端树脂依赖进口', '废弃塑料污染严重'],
  },
  '404': {
    metrics: [
      '孔隙率达到{60-90}%',
      '降解周期可在{3-24}个月内调控',
      '抑菌率达到{99-99.9:1}%',
      '细胞存活率达到{90-99}%',
    ],
    problems: ['植入材料生物相容性不足', '高端医用材料依赖进口', '术后感染风险高'],
  },
  '405': {
    metrics: [
      '金属杂质含量低于{1-10}ppb',
      '催化剂选择性达到{90-99:1}%',
      '原油采收率提高{5-15}个百分点',
      '产品收率提高{10-30}%',
    ],
    problems: ['高纯产品依赖进口', '催化效率偏低', '产品批次稳定性差'],
  },
  '406': {
    metrics: [
      '耐候性提高{1-3}倍',
      '色差ΔE小于{1-3:1}',
      '加固后抗压强度提高{30-150}%',
      '透气性保持在{80-95}%以上',
    ],
    problems: ['文物本体劣化严重', '传统材料耐久性差', '产品色彩表现力不足'],
  },
  '501': {
    metrics: [
      '研发周期缩短{30-60}%',
      '设计迭代效率提升{40-120}%',
      '仿真与试验误差小于{3-10}%',
      '样机试制成本降低{20-50}%',
    ],
    problems: ['研发周期长', '设计与制造协同不畅', '缺少专业仿真能力'],
  },
  '502': {
    metrics: [
      '检测效率提升{40-200}%',
      '缺陷检出率达到{95-99.5:1}%',
      '测量不确定度优于{0.01-0.5:2}%',
      '检测周期缩短{30-70}%',
    ],
    problems: ['检测周期长', '检测能力覆盖不全', '缺陷漏检率高'],
  },
  '503': {
    metrics: [
      '数据处理规模达到每日{1-50}亿条',
      '运维效率提升{40-80}%',
      '故障定位时间缩短{50-90}%',
      '系统可用性达到{99.9-99.99:2}%',
    ],
    problems: ['数据分散难以共享', '系统运维工作量大', '数字化基础薄弱'],
  },
  '504': {
    metrics: [
      '测绘精度优于{2-10}厘米',
      '外业作业效率提升{2-5}倍',
      '计算任务耗时缩短{40-80}%',
      '形变监测精度达到毫米级',
    ],
    problems: ['外业作业效率低', '测绘成本高', '计算资源不足'],
  },
  '505': {
    metrics: [
      '专利检索查全率达到{85-95}%',
      '评估周期缩短{40-70}%',
      '需求匹配准确率达到{80-95}%',
      '技术交易促成率提高{20-50}%',
    ],
    problems: ['成果与需求对接效率低', '技术价值难以评估', '专业服务人才不足'],
  },
  '506': {
    metrics: [
      '仓储作业效率提升{30-100}%',
      '配送里程缩短{10-25}%',
      '库存周转率提高{20-50}%',
      '冷链温控精度达到±{0.5-1:1}℃',
    ],
    problems: ['物流成本高', '仓储作业依赖人工', '全程追溯能力不足'],
  },
  '507': {
    metrics: [
      '风险预警准确率达到{90-98:1}%',
      '事件处置时间缩短{30-60}%',
      '监测覆盖率达到{95-100}%',
      '管理效率提升{30-70}%',
    ],
    problems: ['城市运行风险难以及时发现', '部门间数据共享不足', '基层管理力量不足'],
  },
  '508': {
    metrics: [
      '三维重建精度优于{0.05-1:2}毫米',
      '渲染帧率达到{60-120}帧/秒',
      '观众停留时间延长{30-100}%',
      '内容制作成本降低{30-60}%',
    ],
    problems: ['文物展示手段单一', '数字内容制作成本高', '游客沉浸体验不足'],
  },
  '601': {
    metrics: [
      '光电转换效率达到{22-33:1}%',
      '发电量提升{5-15}%',
      '度电成本降低{10-25}%',
      '设备可利用率达到{97-99.5:1}%',
    ],
    problems: ['发电效率偏低', '运维成本高', '间歇性出力难以消纳'],
  },
  '602': {
    metrics: [
      '制氢电耗低于{4-5:1}kWh/m³',
      '电堆功率密度达到{3-5:1}kW/L',
      '质量储氢密度达到{1-3:1}wt%',
      '系统寿命超过{10000-30000}小时',
    ],
    problems: ['制氢成本高', '关键材料依赖进口', '系统寿命不足'],
  },
  '603': {
    metrics: [
      '能量密度达到{160-400}Wh/kg',
      '循环寿命超过{3000-12000}次',
      '-20℃容量保持率达到{85-95}%',
      '系统充放电效率达到{85-95}%',
    ],
    problems: ['电池循环寿命不足', '低温性能差', '热失控风险高'],
  },
  '604': {
    metrics: [
      '综合节能率达到{15-40}%',
      '制热能效比达到{3-6:1}',
      '电机效率达到IE{4-5}能效等级',
      '余热回收率达到{60-90}%',
    ],
    problems: ['能耗偏高', '余热未能有效利用', '设备运行效率低'],
  },
  '701': {
    metrics: [
      'COD去除率达到{90-99:1}%',
      '出水主要指标达到地表水准Ⅳ类标准',
      '吨水处理成本降低{20-50}%',
      '水回用率达到{80-98}%',
    ],
    problems: ['废水排放难以稳定达标', '处理成本高', '污泥产量大'],
  },
  '702': {
    metrics: [
      '脱硝效率达到{90-98:1}%',
      'VOCs去除率达到{95-99.5:1}%',
      '颗粒物排放浓度低于{5-10}mg/m³',
      '运行成本降低{20-45}%',
    ],
    problems: ['排放指标难以稳定达标', '治理设施运行成本高', '无组织排放难以管控'],
  },
  '703': {
    metrics: [
      '资源化利用率达到{80-98}%',
      '有价金属回收率达到{90-99:1}%',
      '再生制品抗压强度达到{10-60}MPa',
      '处置成本降低{20-50}%',
    ],
    problems: ['固废堆存量大', '资源化利用率低', '二次污染风险大'],
  },
  '704': {
    metrics: [
      '降噪量达到{10-30}dB(A)',
      '隔振效率达到{85-98}%',
      '屏蔽效能达到{40-90}dB',
      '平均吸声系数达到{0.8-0.99:2}',
    ],
    problems: ['噪声扰民投诉多', '设备振动影响周边环境', '电磁干扰严重'],
  },
  '705': {
    metrics: [
      '检测限低至{0.1-10:1}μg/L',
      '监测数据有效率达到{95-99.5:1}%',
      '溯源定位准确率达到{85-95}%',
      '单次检测时间缩短至{5-30}分钟',
    ],
    problems: ['监测手段落后', '污染来源难以追溯', '应急响应速度慢'],
  },
  '706': {
    metrics: [
      '植被覆盖度提高{20-60}%',
      '土壤侵蚀量减少{40-80}%',
      '重金属钝化率达到{70-95}%',
      '修复成本降低{20-50}%',
    ],
    problems: ['水土流失严重', '土壤重金属超标', '生态修复周期长'],
  },
  '707': {
    metrics: [
      '节水{30-70}%',
      '二氧化碳捕集率达到{85-95}%',
      '污染物产生量减少{40-90}%',
      '单位产品能耗降低{10-35}%',
    ],
    problems: ['生产过程污染物产生量大', '水资源消耗高', '碳排放强度大'],
  },
  '708': {
    metrics: [
      '资源回收率提高{5-20}个百分点',
      '单井产量提高{20-80}%',
      '焦油收率达到{8-15}%',
      '井下作业人员减少{30-70}%',
    ],
    problems: ['资源回收率低', '开采安全风险高', '低品位资源难以利用'],
  },
  '801': {
    metrics: [
      '控制精度提高{20-60}%',
      '故障预警准确率达到{90-99:1}%',
      '设备综合效率提升{10-30}%',
      '产品合格率提高{2-10}个百分点',
    ],
    problems: ['生产过程波动大', '设备故障率高', '人工依赖程度高'],
  },
  '802': {
    metrics: [
      '预警准确率达到{92-99:1}%',
      '定位精度优于{0.3-3:1}米',
      '报警响应时间小于{1-10}秒',
      '隐患识别率达到{90-98}%',
    ],
    problems: ['安全隐患难以及时发现', '作业环境复杂', '人员定位精度不足'],
  },
  '803': {
    metrics: [
      '测量精度优于{0.01-0.5:2}%',
      '检测限达到{0.1-10:1}ppm',
      '采样频率达到{1-100}kHz',
      '整机成本较进口产品降低{30-60}%',
    ],
    problems: ['高端仪器依赖进口', '现场测量精度不足', '检测效率低'],
  },
  '804': {
    metrics: [
      '加工精度达到±{1-20}μm',
      '生产效率提高{20-150}%',
      '表面粗糙度Ra小于{0.1-0.8:1}μm',
      '材料利用率提高{20-60}%',
    ],
    problems: ['加工精度不足', '关键装备依赖进口', '生产效率低'],
  },
  '805': {
    metrics: [
      '传动回差小于{0.5-1:1}弧分',
      '额定载荷达到{1-50}吨',
      '作业效率提升{30-120}%',
      '平均无故障时间超过{5000-20000}小时',
    ],
    problems: ['关键零部件依赖进口', '设备可靠性不足', '作业效率低'],
  },
  '806': {
    metrics: [
      '缺陷识别准确率达到{92-99:1}%',
      '故障定位时间缩短至{1-5}分钟',
      '局部放电检测灵敏度达到{1-5}pC',
      '运行损耗降低{10-30}%',
    ],
    problems: ['人工巡检工作量大', '故障定位困难', '设备绝缘老化'],
  },
  '807': {
    metrics: [
      '系统效率达到{92-97:1}%',
      '整车减重{8-20}%',
      '续航里程提升{10-25}%',
      '制动响应时间小于{100-200}毫秒',
    ],
    problems: ['整车能耗偏高', '关键零部件依赖进口', '热管理效率低'],
  },
  '808': {
    metrics: [
      '最大工作深度达到{300-6000}米',
      '水声通信距离达到{3-20}公里',
      '振动噪声降低{5-15}dB',
      '续航时间达到{24-120}小时',
    ],
    problems: ['深海作业能力不足', '振动噪声偏大', '海洋环境数据获取困难'],
  },
  '809': {
    metrics: [
      '生产效率提高{1-4}倍',
      '成品率提高{15-40}%',
      '复制精度达到{0.05-0.2:2}毫米',
      '数字化采集效率提升{50-200}%',
    ],
    problems: ['传统工艺依赖手工、效率低', '非遗技艺传承困难', '产品同质化严重'],
  },
}

/** Fills the `{a-b}` / `{a-b:d}` slots of a metric spec with seeded numbers. */
function fillSpec(rng: Rng, spec: string): string {
  return spec.replace(
    /\{([\d.]+)-([\d.]+)(?::(\d))?\}/g,
    (_match, low: string, high: string, digits?: string) =>
      digits
        ? randFloat(rng, Number(low), Number(high), Number(digits))
        : String(randInt(rng, Number(low), Number(high))),
  )
}

function detailOf(fieldCode: string): FieldDetail {
  const detail = DETAILS[fieldCode]
  if (!detail) throw new Error(`no figures for sub-field ${fieldCode}`)
  return detail
}

/** Extra requirements an enterprise states in a need. */
const NEED_TERMS: readonly Gen[] = [
  (r) => `项目周期不超过${randInt(r, 6, 24)}个月`,
  () => '可在现有生产线上改造实施',
  () => '技术成熟度高、能尽快实现产业化',
  () => '提供技术培训和后续运维支持',
  () => '知识产权清晰',
  () => '优先考虑本地高校院所合作',
  (r) => `投资回收期不超过${randInt(r, 2, 5)}年`,
]

/** `count` performance figures from distinct specs, so no figure is stated twice. */
function metrics(rng: Rng, fieldCode: string, count: number): string[] {
  return sample(rng, detailOf(fieldCode).metrics, count).map((spec) => fillSpec(rng, spec))
}

function metric(rng: Rng, fieldCode: string): string {
  return metrics(rng, fieldCode, 1)[0] ?? ''
}

function problems(rng: Rng, fieldCode: string, count: number): string[] {
  return sample(rng, detailOf(fieldCode).problems, count)
}

function problem(rng: Rng, fieldCode: string): string {
  return problems(rng, fieldCode, 1)[0] ?? ''
}

/** The subject of a result title, for use inside a contract title ("一种基于X的Y及其制备方法" → "Y"). */
function coreOf(title: string): string {
  return title
    .replace(/^一种/, '')
    .replace(/^(基于|面向).+?的/, '')
    .replace(
      /(及其制备方法|及其控制方法|关键技术研究与应用|研究与应用|研制及产业化|及产业化示范|的低成本制备技术|的设计与制造技术|设计与实现)$/,
      '',
    )
    .replace(/的.+工艺$/, '')
}

/** Appends a contract suffix without doubling "技术" ("…技术" + "技术服务合同"). */
function withSuffix(base: string, suffix: string): string {
  return base.endsWith('技术') && suffix.startsWith('技术') ? base + suffix.slice(2) : base + suffix
}

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------

interface Industry {
  /** Words between the brand core and the company suffix. */
  words: readonly string[]
  /** Industry label stored on the organization. */
  label: string
  /** Sub-fields the company works in. */
  fields: readonly string[]
  weight: number
}

const INDUSTRIES: readonly Industry[] = [
  {
    words: ['微电子科技', '半导体', '芯片科技'],
    label: '集成电路',
    fields: ['102', '106'],
    weight: 6,
  },
  {
    words: ['软件技术', '信息技术', '数据科技', '智能科技'],
    label: '软件和信息技术服务',
    fields: ['101', '103', '503', '107'],
    weight: 9,
  },
  { words: ['通信技术', '通信科技'], label: '通信设备', fields: ['104', '103'], weight: 4 },
  { words: ['光电科技', '光电技术'], label: '光电子', fields: ['106', '803'], weight: 4 },
  {
    words: ['智能装备', '精密机械', '智能制造'],
    label: '智能制造装备',
    fields: ['804', '805', '801'],
    weight: 8,
  },
  {
    words: ['新材料', '新材料科技', '材料科技'],
    label: '新材料',
    fields: ['401', '402', '403'],
    weight: 7,
  },
  {
    words: ['生物医药', '医药科技', '生物科技'],
    label: '生物医药',
    fields: ['201', '203', '204', '206'],
    weight: 6,
  },
  { words: ['医疗器械', '医疗科技'], label: '医疗器械', fields: ['205', '404'], weight: 4 },
  { words: ['制药', '中药科技'], label: '中医药', fields: ['202', '204'], weight: 3 },
  {
    words: ['新能源', '能源科技', '储能科技'],
    label: '新能源',
    fields: ['601', '603', '602'],
    weight: 6,
  },
  { words: ['氢能科技'], label: '氢能', fields: ['602'], weight: 1 },
  {
    words: ['环保科技', '环境工程', '水务科技'],
    label: '节能环保',
    fields: ['701', '702', '703', '705', '706'],
    weight: 6,
  },
  { words: ['航空科技', '航空装备'], label: '航空', fields: ['301', '401'], weight: 3 },
  { words: ['航天科技', '航天动力'], label: '航天', fields: ['302', '402'], weight: 2 },
  { words: ['电气', '电力科技', '电气设备'], label: '电力装备', fields: ['806', '604'], weight: 5 },
  { words: ['汽车零部件', '汽车科技'], label: '汽车及零部件', fields: ['807', '603'], weight: 4 },
  { words: ['检测技术', '检验检测'], label: '检验检测', fields: ['502', '803'], weight: 3 },
  { words: ['仪器仪表', '测控技术'], label: '仪器仪表', fields: ['803', '801'], weight: 3 },
  { words: ['农业科技', '生态农业'], label: '现代农业', fields: ['207', '206'], weight: 3 },
  { words: ['能源化工', '煤化工'], label: '能源化工', fields: ['708', '707', '405'], weight: 3 },
  { words: ['矿业科技', '安全技术'], label: '矿山安全', fields: ['802', '708'], weight: 2 },
  {
    words: ['文化科技', '数字文化'],
    label: '文化创意',
    fields: ['508', '809', '105', '406'],
    weight: 3,
  },
  { words: ['智慧交通', '交通科技'], label: '智能交通', fields: ['108', '506'], weight: 2 },
  { words: ['物流科技', '供应链管理'], label: '现代物流', fields: ['506'], weight: 1 },
  { words: ['数字城市', '城市科技'], label: '城市服务', fields: ['507', '503'], weight: 1 },
  {
    words: ['工业设计', '技术服务'],
    label: '研发设计服务',
    fields: ['501', '505', '504'],
    weight: 2,
  },
  { words: ['精细化工', '化学科技'], label: '精细化工', fields: ['405', '403'], weight: 2 },
  { words: ['节能科技', '热能科技'], label: '节能', fields: ['604', '601'], weight: 2 },
]

const LOCAL_BRANDS = [
  '秦岭',
  '长安',
  '曲江',
  '华清',
  '汉唐',
  '丝路',
  '大秦',
  '终南',
  '雁塔',
  '未央',
  '灞源',
  '渭水',
  '关中',
  '秦川',
  '骊山',
  '沣东',
] as const
const BRANDS = [
  '华芯',
  '博睿',
  '中科',
  '天和',
  '瑞通',
  '鼎力',
  '汇智',
  '恒泰',
  '凯德',
  '金泰',
  '众合',
  '启明',
  '创源',
  '宏远',
  '立信',
  '华研',
  '泰瑞',
  '奥维',
  '星河',
  '蓝海',
  '智远',
  '新锐',
  '诺德',
  '精工',
  '嘉诚',
  '晨曦',
  '瀚海',
  '佳禾',
  '昆仑',
  '九州',
  '东方',
  '华腾',
  '鼎盛',
  '和光',
  '云帆',
  '正源',
  '铂瑞',
  '德润',
  '思源',
  '益新',
  '科润',
  '同创',
  '远航',
  '安泰',
  '联创',
  '宇航',
  '赛恩',
  '拓普',
  '中贝',
  '明德',
  '信达',
  '华晟',
  '天瑞',
  '睿驰',
  '航宇',
  '源通',
] as const

const COMPANY_SUFFIXES = [
  ['有限公司', 6],
  ['股份有限公司', 3],
  ['有限责任公司', 1],
] as const

/** District weights: most technology companies cluster in 雁塔 (高新区), 未央 (经开区) and 长安. */
const DISTRICT_WEIGHTS: Record<string, number> = {
  '610113': 30,
  '610112': 12,
  '610116': 10,
  '610111': 6,
  '610103': 6,
  '610104': 6,
  '610102': 4,
  '610117': 5,
  '610114': 3,
  '610115': 3,
  '610118': 3,
  '610122': 2,
  '610124': 1,
}

/** The district each development zone mostly lies in. */
const ZONE_DISTRICTS: Record<string, string> = {
  西安高新技术产业开发区: '610113',
  西安经济技术开发区: '610112',
  曲江新区: '610113',
  浐灞生态区: '610111',
  西安国际港务区: '610111',
  西安航天基地: '610116',
  西安航空基地: '610114',
  西咸新区: '610112',
}

const ZONE_WEIGHTS: Record<string, number> = {
  西安高新技术产业开发区: 10,
  西安经济技术开发区: 5,
  曲江新区: 2,
  浐灞生态区: 2,
  西安国际港务区: 1,
  西安航天基地: 3,
  西安航空基地: 2,
  西咸新区: 3,
}

/** Sub-fields each institution is strong in, so its experts and results look like it. */
const INSTITUTION_FIELDS: Record<string, readonly string[]> = {
  西安交通大学: [
    '101',
    '102',
    '201',
    '205',
    '401',
    '403',
    '601',
    '602',
    '603',
    '604',
    '701',
    '801',
    '804',
    '806',
    '807',
  ],
  西北工业大学: ['101', '301', '302', '401', '402', '804', '805', '808'],
  西安电子科技大学: ['101', '102', '103', '104', '105', '106', '107', '803'],
  长安大学: ['108', '402', '504', '703', '706', '807'],
  西北大学: ['201', '202', '203', '508', '706', '708'],
  陕西师范大学: ['202', '206', '406', '503', '508'],
  西安理工大学: ['401', '701', '804', '805', '806', '809'],
  西安建筑科技大学: ['402', '507', '701', '703', '704', '707'],
  西安科技大学: ['504', '703', '706', '708', '802'],
  西安石油大学: ['405', '702', '708', '803'],
  西安工业大学: ['106', '301', '803', '804'],
  西安工程大学: ['403', '707', '806', '809'],
  西安邮电大学: ['101', '104', '107', '503', '506'],
  西安医学院: ['201', '203', '204', '205', '404'],
  西北农林科技大学: ['202', '206', '207', '701', '706'],
  陕西科技大学: ['206', '403', '405', '406', '707'],
  中国科学院西安光学精密机械研究所: ['104', '106', '302', '803', '804'],
  中国科学院地球环境研究所: ['702', '705', '706'],
  中国科学院国家授时中心: ['104', '302', '803'],
  西北有色金属研究院: ['401', '402', '404'],
  西安热工研究院: ['601', '604', '702', '806'],
  航天推进技术研究院: ['302', '602', '804'],
  中国航天科技集团第四研究院: ['302', '402', '405'],
  西安近代化学研究所: ['402', '403', '405'],
  中国飞机强度研究所: ['301', '502', '803'],
  中国飞行试验研究院: ['301', '502'],
  中国电子科技集团公司第二十研究所: ['104', '108', '301'],
  中国电子科技集团公司第三十九研究所: ['104', '302', '803'],
  陕西省科学院: ['206', '207', '502', '705'],
  中国重型机械研究院: ['801', '804', '805'],
  西安微电子技术研究所: ['102', '103', '106'],
}

/** How many experts (and so results and deals) an institution attracts, relative to others. */
const INSTITUTION_WEIGHTS: Record<string, number> = {
  西安交通大学: 12,
  西北工业大学: 10,
  西安电子科技大学: 10,
  长安大学: 5,
  西北大学: 5,
  西北农林科技大学: 5,
  西安理工大学: 4,
  西安建筑科技大学: 4,
  中国科学院西安光学精密机械研究所: 4,
  西北有色金属研究院: 3,
}

const ALL_SUB_FIELD_CODES = subFields.map((subField) => subField.code)

function fieldsOfInstitution(name: string): readonly string[] {
  return INSTITUTION_FIELDS[name] ?? ALL_SUB_FIELD_CODES
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
  fields: readonly string[]
}

function cityShortName(name: string): string {
  return name.replace(/市$/, '')
}

function generateOrganizations(rng: Rng, enterpriseCount: number) {
  const usedCodes = new Set<string>()
  const organizations: OrgSeed[] = []
  const orgFields = new Map<string, readonly string[]>()

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
  }

  const usedNames = new Set(organizations.map((org) => org.name))
  const enterprises: EnterpriseProfile[] = []
  const otherShaanxi = shaanxiCities.filter((city) => city.code !== xianCity.code)
  const districtEntries = xianDistricts.map(
    (district) => [district.code, DISTRICT_WEIGHTS[district.code] ?? 2] as const,
  )
  const zoneEntries = xianZones.map((zone) => [zone, ZONE_WEIGHTS[zone] ?? 1] as const)

  for (let i = 0; i < enterpriseCount; i++) {
    const industry = weighted(
      rng,
      INDUSTRIES.map((entry) => [entry, entry.weight] as const),
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
        const district = ZONE_DISTRICTS[zone]
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
      const brandPool = place === '西安' || place === '陕西' ? [...LOCAL_BRANDS, ...BRANDS] : BRANDS
      const candidate = `${place}${pick(rng, brandPool)}${pick(rng, industry.words)}${weighted(rng, COMPANY_SUFFIXES)}`
      if (!usedNames.has(candidate)) {
        name = candidate
        break
      }
    }
    if (!name)
      name = `${pick(rng, placePrefixes)}${pick(rng, BRANDS)}${industry.words[0] ?? '科技'}${i + 1}号有限公司`
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
    enterprises.push({ org, fields: industry.fields })
    orgFields.set(externalId, industry.fields)
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

  return { organizations, enterprises, orgFields }
}

// ---------------------------------------------------------------------------------------------
// Experts
// ---------------------------------------------------------------------------------------------

const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 10],
  ['李', 10],
  ['张', 9],
  ['刘', 8],
  ['陈', 6],
  ['杨', 6],
  ['赵', 5],
  ['黄', 3],
  ['周', 4],
  ['吴', 3],
  ['徐', 3],
  ['孙', 3],
  ['胡', 3],
  ['朱', 3],
  ['高', 3],
  ['林', 2],
  ['何', 2],
  ['郭', 3],
  ['马', 3],
  ['罗', 2],
  ['梁', 2],
  ['宋', 2],
  ['郑', 2],
  ['谢', 2],
  ['韩', 2],
  ['唐', 2],
  ['冯', 2],
  ['于', 1],
  ['董', 2],
  ['程', 2],
  ['曹', 2],
  ['袁', 1],
  ['邓', 1],
  ['许', 1],
  ['傅', 1],
  ['沈', 1],
  ['曾', 1],
  ['彭', 1],
  ['吕', 1],
  ['苏', 1],
  ['卢', 1],
  ['蒋', 1],
  ['蔡', 1],
  ['贾', 2],
  ['丁', 1],
  ['魏', 2],
  ['薛', 2],
  ['叶', 1],
  ['阎', 2],
  ['余', 1],
  ['潘', 1],
  ['杜', 2],
  ['戴', 1],
  ['夏', 1],
  ['钟', 1],
  ['汪', 1],
  ['田', 2],
  ['任', 2],
  ['姜', 1],
  ['范', 1],
  ['方', 1],
  ['石', 1],
  ['姚', 1],
  ['谭', 1],
  ['雷', 2],
  ['秦', 1],
  ['史', 1],
  ['侯', 1],
  ['邵', 1],
  ['孟', 1],
  ['白', 2],
  ['崔', 1],
  ['康', 1],
  ['党', 1],
  ['寇', 1],
  ['屈', 1],
  ['常', 1],
  ['武', 1],
  ['乔', 1],
  ['贺', 1],
]
const GIVEN_CHARS = [
  '伟',
  '军',
  '勇',
  '涛',
  '明',
  '超',
  '磊',
  '鹏',
  '华',
  '强',
  '建',
  '国',
  '文',
  '斌',
  '辉',
  '平',
  '峰',
  '刚',
  '杰',
  '飞',
  '波',
  '宁',
  '凯',
  '博',
  '亮',
  '林',
  '彬',
  '宇',
  '浩',
  '晨',
  '卫',
  '东',
  '红',
  '英',
  '芳',
  '娟',
  '敏',
  '静',
  '丽',
  '燕',
  '玲',
  '霞',
  '婷',
  '雪',
  '慧',
  '琳',
  '瑞',
  '欣',
  '佳',
  '颖',
  '志',
  '永',
  '海',
  '春',
  '晓',
  '立',
  '新',
  '振',
  '毅',
  '睿',
  '锋',
  '良',
  '德',
  '嘉',
  '思',
  '怡',
  '秀',
  '玉',
  '洁',
  '岩',
  '松',
  '航',
  '涵',
  '哲',
  '梅',
  '琦',
  '蕾',
  '璐',
  '昕',
  '骞',
] as const

function personName(rng: Rng): string {
  const surname = weighted(rng, SURNAMES)
  const given = chance(rng, 0.3)
    ? pick(rng, GIVEN_CHARS)
    : pick(rng, GIVEN_CHARS) + pick(rng, GIVEN_CHARS)
  return surname + given
}

const UNIVERSITY_TITLES = [
  ['教授', 35],
  ['副教授', 35],
  ['讲师', 12],
  ['研究员', 8],
  ['高级工程师', 10],
] as const
const INSTITUTE_TITLES = [
  ['研究员', 35],
  ['副研究员', 30],
  ['高级工程师', 30],
  ['教授', 5],
] as const

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
            [org, INSTITUTION_WEIGHTS[org.name] ?? (org.kind === 'university' ? 3 : 2)] as const,
        ),
      ),
    ),
  ]
  const usedNames = new Set<string>()
  return hostOrder.map((org, index): ExpertSeed => {
    let name = personName(rng)
    for (let attempt = 0; attempt < 20 && usedNames.has(name); attempt++) name = personName(rng)
    usedNames.add(name)
    const title = weighted(rng, org.kind === 'university' ? UNIVERSITY_TITLES : INSTITUTE_TITLES)
    const orgFieldList = orgFields.get(org.externalId) ?? ALL_SUB_FIELD_CODES
    const fields = sample(rng, orgFieldList, chance(rng, 0.35) ? 2 : 1).sort()
    const pool = uniq(fields.flatMap((code) => vocabOf(code).methods))
    const keywords = sample(rng, pool, randInt(rng, 3, 6))
    const fieldNames = fields.map((code) => getFieldName(code) ?? code).join('、')
    const senior = title === '教授' || title === '研究员'
    const bio = [
      `${name}，${org.name}${title}${senior && chance(rng, 0.6) ? '，博士生导师' : ''}，主要从事${fieldNames}领域的研究，在${keywords.slice(0, 2).join('、')}等方面有长期积累。`,
      chance(rng, 0.8)
        ? `主持国家自然科学基金、国家重点研发计划等项目${randInt(rng, 3, 20)}项，授权发明专利${randInt(rng, 5, 60)}件，多项成果在陕西省内企业实现转化。`
        : `长期与行业企业开展产学研合作，完成技术开发和技术服务项目${randInt(rng, 10, 80)}项。`,
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

/** Check digit of a CN application number: weights 2–9,2–5 over 12 digits, mod 11, 10 → X. */
function patentNo(rng: Rng, typeDigit: 1 | 2 | 3, maxYear: number): string {
  const year = randInt(rng, Math.max(2012, maxYear - 9), maxYear)
  const digits = `${year}${typeDigit}${pad(randInt(rng, 0, 9_999_999), 7)}`
  return `ZL${digits}.${computePatentCheckDigit(digits)}`
}

function ipTypeFor(rng: Rng, fieldCode: string): IpType | null {
  const software = ['101', '103', '107', '503', '505', '506', '507'].includes(fieldCode)
  const entries: [IpType | null, number][] = [
    ['invention_patent', software ? 20 : 48],
    ['utility_model', software ? 3 : 14],
    ['design_patent', 2],
    ['software_copyright', software ? 45 : 2],
    ['technical_secret', 12],
    ['none', 5],
    [null, 3],
  ]
  if (fieldCode === '102') entries.push(['ic_layout', 15])
  if (fieldCode === '207') entries.push(['plant_variety', 25])
  return weighted(rng, entries)
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

/** Sub-fields whose methods read naturally as "一种基于X的…" (algorithms, sensing, services). */
const BASED_ON_FIELDS = new Set([
  '101',
  '103',
  '104',
  '105',
  '107',
  '108',
  '205',
  '302',
  '501',
  '502',
  '503',
  '504',
  '505',
  '506',
  '507',
  '508',
  '705',
  '801',
  '802',
  '803',
  '806',
])

const MATERIAL_FIELDS = new Set([
  '202',
  '203',
  '204',
  '206',
  '401',
  '402',
  '403',
  '404',
  '405',
  '406',
  '703',
])

/** Methods that name a process, so "一种Y的X工艺" reads right (not "一种钛合金棒材的钛合金工艺"). */
const PROCESS_METHOD =
  /(处理|铸造|冶金|沉积|改性|合成|反应|萃取|纯化|提取|发酵|催化|加固|固化|烧制|修复|表达|选育|培养|共烧|外延|工艺|纯化)$/

function resultTitle(
  rng: Rng,
  fieldCode: string,
  methods: readonly string[],
  product: string,
  app: string,
): string {
  const [method = '', other = method] = methods
  const field = parentOf(fieldCode)
  // Products that are themselves a technique ("页岩气体积压裂技术") take no "…关键技术"/"…及其制备方法".
  if (/(技术|工艺|体系)$/.test(product)) {
    return weighted<Gen>(rng, [
      [() => product, 2],
      [() => `${product}研究与应用`, 2],
      [() => `面向${app}的${product}`, 2],
      [() => `${product}及产业化示范`, 1],
      [() => `基于${method}的${product}`, product.includes(method) ? 0 : 2],
    ])(rng)
  }
  const templates: [Gen, number][] = [
    [() => `${product}关键技术研究与应用`, 2],
    [() => `面向${app}的${product}`, 2],
    [() => `${product}研制及产业化`, 1],
  ]
  const hardware =
    field === '30' ||
    field === '40' ||
    field === '60' ||
    field === '80' ||
    fieldCode === '102' ||
    fieldCode === '106'
  if (
    hardware &&
    !/^(高|超|低|长效|全|智能|新型|一体|可|多|重|无)/.test(product) &&
    !/(平台|系统|服务|软件)$/.test(product)
  ) {
    templates.push([() => `高性能${product}`, 1])
  }
  // "一种基于国产化适配的国产化服务器管理软件" would repeat itself.
  if (BASED_ON_FIELDS.has(fieldCode) && !product.includes(method)) {
    templates.push(
      [() => `一种基于${method}的${product}`, 6],
      [() => `基于${method}的${product}设计与实现`, 1],
    )
    if (other !== method && !product.includes(other))
      templates.push([() => `一种融合${method}与${other}的${product}`, 2])
  }
  if (PROCESS_METHOD.test(method) && !product.includes(method))
    templates.push([() => `一种${product}的${method}工艺`, 3])
  if (MATERIAL_FIELDS.has(fieldCode) || fieldCode === '102' || fieldCode === '106') {
    templates.push([() => `一种${product}及其制备方法`, 5])
    if (field === '40') templates.push([() => `${app}用${product}`, 1])
    if (MATERIAL_FIELDS.has(fieldCode)) templates.push([() => `${product}的低成本制备技术`, 1])
  } else if (field === '30' || field === '60' || field === '70' || field === '80') {
    templates.push(
      [() => `一种${product}及其控制方法`, 2],
      [() => `${product}的设计与制造技术`, 1],
      [() => `新型${product}`, 1],
    )
  }
  return clip(weighted(rng, templates)(rng), 100)
}

function resultSummary(
  rng: Rng,
  fieldCode: string,
  methods: readonly string[],
  product: string,
  apps: readonly string[],
  trl: number,
): string {
  const [m1 = '', m2 = m1] = methods
  const [a1 = '', a2 = a1] = apps
  const opening = pick(rng, [
    `针对${a1}中${problem(rng, fieldCode)}等问题，本成果采用${m1}与${m2}相结合的技术路线，研制了${product}。`,
    `本成果面向${a1}需求，突破了${m1}、${m2}等关键技术，形成了${product}。`,
    `项目团队围绕${product}开展攻关，提出了基于${m1}的新方法，并集成${m2}技术，解决了${problem(rng, fieldCode)}的难题。`,
  ])
  const figures = `经测试，${metrics(rng, fieldCode, 2).join('，')}。`
  const closing =
    trl <= 4
      ? `目前已完成${stageOf(trl)}，可应用于${a1}、${a2}等领域。`
      : `已在${randInt(rng, 2, 12)}家单位开展${stageOf(trl)}，可广泛应用于${a1}、${a2}等领域。`
  let summary = opening + figures + closing
  if (summary.length > 200) summary = opening + figures
  if (summary.length > 200) summary = clip(opening + figures, 199) + '。'
  if (summary.length < 80) summary += `成果技术指标先进，具有良好的推广应用前景和经济社会效益。`
  return summary
}

function resultDescription(
  rng: Rng,
  fieldCode: string,
  methods: readonly string[],
  product: string,
  apps: readonly string[],
  trl: number,
  modes: readonly TransferMode[],
  ipType: IpType | null,
  patentNos: readonly string[],
): string {
  const fieldName = getFieldName(fieldCode) ?? ''
  const modeNames: Record<TransferMode, string> = {
    transfer: '技术转让',
    license: '许可使用',
    equity: '作价投资',
    co_development: '合作开发',
  }
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
  const points = metrics(rng, fieldCode, 3)
  return [
    `一、技术背景\n${fieldName}是国家重点支持的高新技术领域。当前${apps[0] ?? ''}领域普遍存在${problems(rng, fieldCode, 2).join('、')}等问题，${product}的需求持续增长。`,
    `二、技术方案\n成果以${methods.join('、')}为核心，完成了总体方案设计、关键部件研制与系统集成，目前处于技术就绪水平${trl}级（${stageOf(trl)}阶段）。`,
    `三、主要技术指标\n${points.map((point, index) => `${index + 1}. ${point}`).join('\n')}`,
    `四、应用前景\n可应用于${apps.join('、')}等领域，市场前景广阔。${ipText}`,
    `五、合作方式\n${modes.map((mode) => modeNames[mode]).join('、')}，欢迎有意向的企业洽谈。`,
  ].join('\n')
}

const RESULT_STATUS_WEIGHTS = [
  ['published', 80],
  ['pending_review', 6],
  ['draft', 4],
  ['expired', 6],
  ['transferred', 4],
] as const

export interface ResultsContext {
  organizations: readonly OrgSeed[]
  experts: readonly ExpertSeed[]
}

/**
 * Streams `count` results over the given organizations and experts. Lazy, so benchmarks can
 * write hundreds of thousands without holding them; the first N of a seed equal the demo's N.
 */
export function* generateResults(
  count: number,
  context: ResultsContext,
  options: { seed?: number; now?: Date; externalIdPrefix?: string } = {},
): Generator<ResultSeed> {
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
  const industryFields = new Map(INDUSTRIES.map((industry) => [industry.label, industry.fields]))
  const maxPatentYear = chinaYear(now) - 1

  for (let index = 0; index < count; index++) {
    // Most results come from research teams (an expert at a university/institute); some from companies.
    const fromExpert = context.experts.length > 0 && (enterprises.length === 0 || chance(rng, 0.8))
    let org: OrgSeed | undefined
    let lead: ExpertSeed | null = null
    let fieldCode: string
    if (fromExpert) {
      lead = pick(rng, context.experts)
      org = orgById.get(lead.orgExternalId)
      fieldCode = pick(rng, lead.fields.length > 0 ? lead.fields : ALL_SUB_FIELD_CODES)
    } else if (enterprises.length > 0) {
      org = pick(rng, enterprises)
      fieldCode = pick(rng, industryFields.get(org.industry ?? '') ?? ALL_SUB_FIELD_CODES)
    } else {
      org = pick(
        rng,
        institutionsWithoutExperts.length > 0 ? institutionsWithoutExperts : context.organizations,
      )
      fieldCode = pick(rng, fieldsOfInstitution(org.name))
    }
    if (!org) throw new Error(`expert ${lead?.externalId} belongs to an unknown organization`)
    if (!VOCAB[fieldCode]) fieldCode = pick(rng, ALL_SUB_FIELD_CODES)

    const vocab = vocabOf(fieldCode)
    const methods = sample(rng, vocab.methods, 2)
    const product = pick(rng, vocab.products)
    const apps = sample(rng, vocab.apps, 2)
    const trl = weighted(rng, TRL_WEIGHTS)
    const title = resultTitle(rng, fieldCode, methods, product, apps[0] ?? '')
    const ipType = ipTypeFor(rng, fieldCode)
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
    const askingPrice = chance(rng, 0.3) ? null : roundTo(logUniform(rng, 50_000, 20_000_000), 100)
    const status = weighted(rng, RESULT_STATUS_WEIGHTS)
    const keywords = uniq([
      ...methods,
      ...sample(rng, vocab.methods, randInt(rng, 1, 3)),
      ...(lead && chance(rng, 0.5) ? sample(rng, lead.keywords, 1) : []),
    ]).slice(0, 6)

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

    yield {
      externalId: `${prefix}${pad(index + 1, 4)}`,
      title,
      summary: resultSummary(rng, fieldCode, methods, product, apps, trl),
      description: resultDescription(
        rng,
        fieldCode,
        methods,
        product,
        apps,
        trl,
        transferModes,
        ipType,
        patentNos,
      ),
      fieldCode,
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

function needTitle(rng: Rng, method: string, product: string, app: string): string {
  return clip(
    pick(rng, [
      `${product}关键技术攻关`,
      `寻求${method}技术解决方案`,
      `${app}${product}研发`,
      `${product}国产化替代`,
      `${method}在${app}中的应用`,
      `${product}技术升级改造`,
      `征集${product}相关技术成果`,
    ]),
    100,
  )
}

function generateNeeds(
  rng: Rng,
  count: number,
  enterprises: readonly EnterpriseProfile[],
  now: Date,
): NeedSeed[] {
  if (enterprises.length === 0) return []
  const needs: NeedSeed[] = []
  for (let index = 0; index < count; index++) {
    const { org, fields } = pick(rng, enterprises)
    const fieldCode = pick(rng, fields)
    const vocab = vocabOf(fieldCode)
    const methods = sample(rng, vocab.methods, 2)
    const product = pick(rng, vocab.products)
    const app = pick(rng, vocab.apps)
    const [m1 = '', m2 = m1] = methods
    const title = needTitle(rng, m1, product, app)
    const description = [
      weighted(rng, [
        [
          `我公司在${app}相关产品生产中存在${problem(rng, fieldCode)}的问题，现有工艺难以满足客户要求，`,
          2,
        ],
        [
          `我公司主营${org.industry ?? '相关'}业务，在${product}开发过程中遇到${problem(rng, fieldCode)}的瓶颈，`,
          1,
        ],
        [`随着${app}领域需求增长，我公司现有${product}存在${problem(rng, fieldCode)}等不足，`, 1],
      ] as const),
      `需要${m1}、${m2}等方面的技术支持，`,
      `要求${metric(rng, fieldCode)}，${pick(rng, NEED_TERMS)(rng)}。`,
      chance(rng, 0.5) ? `希望与高校、科研院所建立长期合作关系。` : '',
    ].join('')

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

    const status = weighted(rng, NEED_STATUS_WEIGHTS)
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

    needs.push({
      externalId: `need-${pad(index + 1, 4)}`,
      title,
      description,
      fieldCode,
      keywords: uniq([...methods, ...sample(rng, vocab.methods, randInt(rng, 1, 3))]).slice(0, 5),
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
    })
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

function dealTitle(
  rng: Rng,
  subType: string,
  fieldCode: string,
  result: ResultSeed | undefined,
): string {
  const vocab = vocabOf(fieldCode)
  const base = result ? coreOf(result.title) : pick(rng, vocab.products)
  const method = pick(rng, vocab.methods)
  let title: string
  switch (subType) {
    case '委托开发':
      title = MATERIAL_FIELDS.has(fieldCode)
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
        `${pick(rng, vocab.apps)}领域技术发展咨询合同`,
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
        `${base}测试与优化技术服务合同`,
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
  orgFields: Map<string, readonly string[]>,
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
  const pickBuyer = (draft: DealDraft, local: boolean): OrgSeed => {
    const pool = (local ? localEnterprises : remoteEnterprises).filter(
      (org) => org.externalId !== draft.seller.externalId,
    )
    const fallback = enterprises.filter((org) => org.externalId !== draft.seller.externalId)
    const candidates = pool.length > 0 ? pool : fallback.length > 0 ? fallback : enterprises
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

  const serials = new Map<string, number>()
  const fiveYears = 5 * 365
  return drafts.map((draft): DealSeed => {
    const buyer = buyers.get(draft.index) ?? pick(rng, enterprises)
    const { seller, contractType, status } = draft
    const subType = weighted(rng, SUB_TYPES[contractType])

    const sellerResults = resultsByOrg.get(seller.externalId) ?? []
    const linkResult =
      contractType === 'transfer' || contractType === 'license'
        ? 0.7
        : contractType === 'development'
          ? 0.25
          : 0.1
    const result =
      sellerResults.length > 0 && chance(rng, linkResult) ? pick(rng, sellerResults) : undefined
    const buyerNeeds = needsByOrg.get(buyer.externalId) ?? []
    const need =
      buyerNeeds.length > 0 && chance(rng, contractType === 'development' ? 0.4 : 0.2)
        ? pick(rng, buyerNeeds)
        : undefined
    const fieldCode =
      result?.fieldCode ??
      need?.fieldCode ??
      pick(
        rng,
        orgFields.get(seller.externalId) ?? orgFields.get(buyer.externalId) ?? ALL_SUB_FIELD_CODES,
      )

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

    return {
      externalId: `deal-${pad(draft.index + 1, 4)}`,
      title: dealTitle(rng, subType, fieldCode, result),
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

  const { organizations, enterprises, orgFields } = generateOrganizations(
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
    orgFields,
    results,
    needs,
    now,
  )
  return { organizations, experts, results, needs, deals }
}
