import { useState, type InputHTMLAttributes, type ReactNode } from 'react'

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors?.length) return null
  // The alert role sits on a wrapper: on the <ul> itself it would hide the list semantics
  // its items need (axe: listitem).
  return (
    <div id={id} role="alert">
      <ul className="field-errors">
        {errors.map((error) => (
          <li key={error}>{error}</li>
        ))}
      </ul>
    </div>
  )
}

/** What a control needs from conform's field metadata to wire up its label and errors. */
export interface FieldMeta {
  id: string
  errorId: string
  errors?: string[]
}

/** Joins element ids for aria-describedby, skipping missing ones; undefined when none are left. */
export function joinIds(...ids: (string | undefined)[]) {
  return ids.filter(Boolean).join(' ') || undefined
}

/**
 * The metadata of a list field (keywords, patent numbers, checkbox groups) with every item
 * error as its own. Zod reports a bad item at `patentNos[0]`, not `patentNos`, but the list
 * has a single control, so its messages belong there. Pair it with
 * `get*Props(field, { ariaInvalid: 'allErrors' })` so the control is marked invalid too.
 */
export function getListFieldMeta(field: {
  id: string
  errorId: string
  allErrors: Record<string, string[]>
}): FieldMeta {
  // conform's metadata exposes its values as getters, so a spread copy would lose them.
  const errors = [...new Set(Object.values(field.allErrors).flat())]
  return { id: field.id, errorId: field.errorId, errors }
}

const getHelpId = (field: FieldMeta) => `${field.id}-help`

type FieldProps = { label: string; field: FieldMeta } & (
  | { help?: undefined; children: ReactNode }
  // With help text the control comes from a function given the help's id, so that it can
  // point aria-describedby at it (conform's `ariaDescribedBy` option merges it with errors).
  | { help: string | undefined; children: (helpId: string | undefined) => ReactNode }
)

/** A labelled control with its help text and errors wired up through aria-describedby. */
export function Field({ label, field, help, children }: FieldProps) {
  return (
    <div className={field.errors?.length ? 'field field--invalid' : 'field'}>
      <label htmlFor={field.id}>{label}</label>
      {typeof children === 'function' ? children(help ? getHelpId(field) : undefined) : children}
      {help ? (
        <p id={getHelpId(field)} className="field-help">
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
  countTo,
  ...inputProps
}: {
  label: string
  field: FieldMeta
  help?: string
  /** A length limit to count towards (CharacterCount). */
  countTo?: number
} & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} field={field} help={help}>
      {(helpId) => {
        const input = (
          <input
            {...inputProps}
            aria-describedby={joinIds(inputProps['aria-describedby'], helpId)}
          />
        )
        return countTo ? (
          <CharacterCount max={countTo} initial={inputProps.defaultValue?.toString()}>
            {input}
          </CharacterCount>
        ) : (
          input
        )
      }}
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

/** From this share of a limit on, the counter shows how much is used. */
const COUNT_FROM_SHARE = 0.8

/**
 * Wraps a text control with a counter that appears as its limit nears, so that a long
 * paste that the browser cuts at `maxLength` does not go unnoticed. The count is announced
 * politely to screen readers.
 */
export function CharacterCount({
  max,
  initial,
  children,
}: {
  max: number
  initial?: string
  children: ReactNode
}) {
  const [length, setLength] = useState(initial?.length ?? 0)
  return (
    // Input events bubble from the control inside; the wrapper only listens.
    <div
      className="character-count"
      onInput={(event) => setLength((event.target as HTMLInputElement).value.length)}
    >
      {children}
      <p className="field-help character-count__figure" aria-live="polite">
        {length >= max * COUNT_FROM_SHARE
          ? length >= max
            ? `已达上限 ${max} 字`
            : `已输入 ${length} / ${max} 字`
          : ''}
      </p>
    </div>
  )
}
