import { useEffect, useState } from 'react'

export function Toast({ kind, message }: { kind: 'success' | 'error'; message: string }) {
  const [visible, setVisible] = useState(true)
  // The layout keys each toast by its message, so a new message mounts a fresh one.
  useEffect(() => {
    const timer = setTimeout(() => setVisible(false), 6000)
    return () => clearTimeout(timer)
  }, [message])
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
