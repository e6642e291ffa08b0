import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { createAnalyzer } from './analyzer'

const analyzer = createAnalyzer({ words: ['区块链', '超低氮燃烧'] })

function words(text: string) {
  return analyzer.analyze(text).words
}

/** Whether a query finds a text on words or character pairs, as the engines look it up. */
function meets(query: string, text: string) {
  const q = analyzer.analyze(query)
  const t = analyzer.analyze(text)
  const wordHit = q.words.some((word) => t.words.includes(word))
  const gramHit = q.grams.length > 0 && q.grams.every((gram) => t.grams.includes(gram))
  return wordHit || gramHit
}

describe('the analyzer', () => {
  test('a word inside a longer word is still found', () => {
    expect(meets('农业', '中国农业发展银行')).toBe(true)
    expect(meets('区块', '区块链技术在供应链金融中的应用')).toBe(true)
    expect(meets('电池', '锂电池回收')).toBe(true)
    expect(meets('燃烧', '燃气锅炉超低氮燃烧系统')).toBe(true)
    expect(meets('焊接', '中国农业发展银行')).toBe(false)
  })

  test('domain words stay whole, next to their pieces', () => {
    expect(words('区块链技术')).toEqual(expect.arrayContaining(['区块链', '技术']))
    expect(words('燃气锅炉超低氮燃烧系统')).toContain('超低氮燃烧')
  })

  test('model, alloy and standard names survive intact, in lower case', () => {
    expect(words('Ti-6Al-4V钛合金，SiC 功率器件，MEMS 传感器，RS-485 接口')).toEqual(
      expect.arrayContaining(['ti-6al-4v', 'sic', 'mems', 'rs-485', '钛合金', '传感器']),
    )
  })

  test('full-width Latin and digits are folded, traditional characters simplified', () => {
    expect(words('ＡＢＣ１２３')).toContain('abc123')
    expect(words('無人機巡檢系統')).toEqual(expect.arrayContaining(['无人机', '巡检']))
    expect(meets('锂离子电池', '鋰離子電池')).toBe(true)
  })

  test('synonyms find each other both ways', () => {
    expect(words('基于3D打印的钛合金构件')).toContain('增材制造')
    expect(words('增材制造工艺')).toContain('3d打印')
    expect(meets('无人驾驶航空器', '植保无人机')).toBe(true)
    expect(meets('锂离子电池', '锂电池梯次利用')).toBe(true)
    // A Latin member is a whole term: "ai" is not inside "said".
    expect(words('he said')).not.toContain('人工智能')
    expect(words('AI 质检')).toContain('人工智能')
  })

  test('function words are dropped, domain words kept', () => {
    const analyzed = words('一种基于深度学习的缺陷检测方法及系统')
    expect(analyzed).not.toContain('的')
    expect(analyzed).not.toContain('一种')
    expect(analyzed).toEqual(expect.arrayContaining(['深度学习', '缺陷', '检测', '方法', '系统']))
  })

  test('pieces of a longer word are marked as such', () => {
    const analyzed = analyzer.analyze('计算机体层摄影')
    expect(analyzed.words).toEqual(expect.arrayContaining(['计算', '计算机']))
    expect(analyzed.parts).toContain('计算')
    expect(analyzed.parts).not.toContain('计算机')
  })

  test('pinyin and initials find the Chinese words they spell', () => {
    const spelled = analyzer.analyze('激光焊接机器人', { pinyin: true }).pinyin
    expect(spelled).toEqual(expect.arrayContaining(['jiguang', 'hanjie', 'jiguanghanjie', 'jghj']))
    const byPinyin = words('jiguang hanjie')
    expect(byPinyin.every((term) => spelled.includes(term))).toBe(true)
    expect(spelled).toContain(words('jghj')[0])
    expect(analyzer.analyze('激光焊接').pinyin).toEqual([])
  })

  test('any text: terms are normalized, non-empty, and the same every time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const first = analyzer.analyze(text, { pinyin: true })
        expect(analyzer.analyze(text, { pinyin: true })).toEqual(first)
        for (const term of [...first.words, ...first.grams, ...first.pinyin]) {
          expect(term.length).toBeGreaterThan(0)
          expect(analyzer.normalize(term)).toBe(term)
        }
      }),
    )
  })

  test('any Chinese text contains the character pairs of each of its passages', () => {
    const han = fc.string({
      unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code)),
      minLength: 2,
      maxLength: 30,
    })
    fc.assert(
      fc.property(han, fc.nat(), fc.nat(), (text, start, length) => {
        const from = start % (text.length - 1)
        const passage = text.slice(from, from + 2 + (length % (text.length - from - 1)))
        const grams = new Set(analyzer.analyze(`前文：${text}，后文`).grams)
        for (const gram of analyzer.analyze(passage).grams) expect(grams.has(gram)).toBe(true)
      }),
    )
  })
})
