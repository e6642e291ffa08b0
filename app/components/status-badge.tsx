import { needStatusLabels, resultStatusLabels } from '~/utils/labels'

const tone: Record<string, string> = {
  published: 'live',
  open: 'live',
  in_negotiation: 'live',
  in_deal: 'live',
  pending_review: 'warn',
  rejected: 'bad',
  expired: 'bad',
}

export function StatusBadge({ kind, status }: { kind: 'result' | 'need'; status: string }) {
  const labels = kind === 'result' ? resultStatusLabels : needStatusLabels
  const modifier = tone[status]
  return (
    <span className={modifier ? `status-badge status-badge--${modifier}` : 'status-badge'}>
      {labels[status] ?? status}
    </span>
  )
}
