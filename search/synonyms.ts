/**
 * Words that name the same technology. A text that contains one member of a group is found
 * by every member: the analyzer adds the whole group to its terms, at indexing and at query
 * time alike. Written in simplified Chinese and lower case, as the analyzer normalises text.
 * Keep each group to true equivalents: a broader or narrower word belongs in no group.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['增材制造', '3d打印'],
  ['锂电池', '锂离子电池'],
  ['无人机', '无人驾驶航空器'],
  ['人工智能', 'ai'],
  ['机器学习', 'machine learning'],
  ['深度学习', 'deep learning'],
  ['物联网', 'iot'],
  ['大数据', 'big data'],
  ['云计算', 'cloud computing'],
  ['区块链', 'blockchain'],
  ['碳化硅', 'sic'],
  ['微机电系统', 'mems'],
  ['集成电路', '芯片'],
  ['新能源汽车', '电动汽车'],
  ['光伏', '太阳能电池'],
  ['发光二极管', 'led'],
  ['有机发光二极管', 'oled'],
  ['可编程逻辑控制器', 'plc'],
  ['计算机辅助设计', 'cad'],
  ['有限元分析', '有限元', 'fea'],
  ['激光雷达', 'lidar'],
  ['北斗', '北斗卫星导航系统'],
  ['虚拟现实', 'vr'],
  ['增强现实', 'augmented reality'],
  ['第五代移动通信', '5g'],
  ['中试', '中间试验'],
  ['污水处理', '废水处理'],
  ['固废', '固体废物'],
  ['中药', '中医药'],
]

/** Other names for the words of a query, to suggest when it finds nothing (锂电池 → 锂离子电池). */
export function relatedWords(query: string, limit = 4): string[] {
  const text = query.toLowerCase()
  if (!text.trim()) return []
  const related = new Set<string>()
  for (const group of SYNONYM_GROUPS) {
    const named = group.filter((member) => text.includes(member))
    if (named.length === 0) continue
    for (const member of group) if (!named.includes(member)) related.add(member)
  }
  return [...related].slice(0, limit)
}
