import type { ReactNode } from 'react'

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors?.length) return null
  return (
    <ul id={id} className="field-errors" role="alert">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  )
}

/** A labelled control with its help text and errors wired up through aria-describedby. */
export function Field({
  label,
  htmlFor,
  errorId,
  errors,
  help,
  children,
}: {
  label: string
  htmlFor: string
  errorId: string
  errors?: string[]
  help?: string
  children: ReactNode
}) {
  return (
    <div className={errors?.length ? 'field field--invalid' : 'field'}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {help ? <p className="field-help">{help}</p> : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

/** Bots fill every input; people never see this one. */
export function Honeypot() {
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor="website">网站</label>
      <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
    </div>
  )
}
