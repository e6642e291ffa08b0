/**
 * Where the matched words of a search are in a text, for <mark>. The pieces are plain text:
 * the page renders them as React text nodes, so nothing in a listing is ever read as HTML.
 */
export interface TextPiece {
  text: string
  match: boolean
}

/** Character ranges [start, end) of the terms in `text`, longest terms first, not overlapping. */
export function highlightRanges(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLowerCase()
  const marked = new Uint8Array(text.length)
  const ranges: [number, number][] = []
  for (const term of [...new Set(terms)].sort((a, b) => b.length - a.length)) {
    if (term.length === 0) continue
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      if (marked.subarray(at, at + term.length).some((taken) => taken === 1)) continue
      marked.fill(1, at, at + term.length)
      ranges.push([at, at + term.length])
    }
  }
  return ranges.sort((a, b) => a[0] - b[0])
}

export function highlightPieces(text: string, terms: readonly string[]): TextPiece[] {
  const pieces: TextPiece[] = []
  let at = 0
  for (const [start, end] of highlightRanges(text, terms)) {
    if (start > at) pieces.push({ text: text.slice(at, start), match: false })
    pieces.push({ text: text.slice(start, end), match: true })
    at = end
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false })
  return pieces
}
