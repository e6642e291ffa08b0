import type { InputHTMLAttributes, ReactNode } from 'react'

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

/** What a control needs from conform's field metadata to wire up its label and errors. */
interface FieldMeta {
  id: string
  errorId: string
  errors?: string[]
}

const helpId = (field: FieldMeta) => `${field.id}-help`

/** A labelled control with its help text and errors wired up through aria-describedby. */
export function Field({
  label,
  field,
  help,
  children,
}: {
  label: string
  field: FieldMeta
  help?: string
  children: ReactNode
}) {
  return (
    <div className={field.errors?.length ? 'field field--invalid' : 'field'}>
      <label htmlFor={field.id}>{label}</label>
      {children}
      {help ? (
        <p id={helpId(field)} className="field-help">
          {help}
        </p>
      ) : null}
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}

/** A labelled <input>; pass conform's getInputProps(...) and any extra attributes. */
export function InputField({
  label,
  field,
  help,
  ...inputProps
}: { label: string; field: FieldMeta; help?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} field={field} help={help}>
      <input
        {...inputProps}
        aria-describedby={
          [inputProps['aria-describedby'], help ? helpId(field) : undefined]
            .filter(Boolean)
            .join(' ') || undefined
        }
      />
    </Field>
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
