import { useEffect, useState, type ReactNode } from 'react'

/** A message that closes itself after a while; callers key it, so a new message mounts a new one. */
export function Toast({ kind, message }: { kind: 'success' | 'error'; message: ReactNode }) {
  const [visible, setVisible] = useState(true)
  useEffect(() => {
    const timer = setTimeout(() => setVisible(false), 6000)
    return () => clearTimeout(timer)
  }, [])
  if (!visible) return null
  return (
    <div role={kind === 'error' ? 'alert' : 'status'} className={`toast toast--${kind}`}>
      <span>{message}</span>
      <button
        type="button"
        className="toast__close"
        aria-label="关闭提示"
        onClick={() => setVisible(false)}
      >
        ×
      </button>
    </div>
  )
}
