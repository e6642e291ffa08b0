import { highTechFields } from '~/utils/reference'

/** Sub-field options grouped under the 8 high-tech fields, for a <select>. */
export function FieldCodeOptions() {
  return (
    <>
      <option value="">请选择</option>
      {highTechFields.map((field) => (
        <optgroup key={field.code} label={`${field.code} ${field.name}`}>
          {field.children.map((child) => (
            <option key={child.code} value={child.code}>
              {child.code} {child.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  )
}

/** A group of checkboxes posting an array under one name; keyboard usable as a fieldset. */
export function CheckboxGroup({
  legend,
  name,
  options,
  checked,
  errorId,
  errors,
}: {
  legend: string
  name: string
  options: Record<string, string>
  checked: readonly string[]
  errorId: string
  errors?: string[]
}) {
  return (
    <fieldset
      className={errors?.length ? 'checkbox-group field--invalid' : 'checkbox-group'}
      aria-invalid={errors?.length ? true : undefined}
      aria-describedby={errors?.length ? errorId : undefined}
    >
      <legend>{legend}</legend>
      {Object.entries(options).map(([value, label]) => (
        <label key={value}>
          <input
            type="checkbox"
            name={name}
            value={value}
            defaultChecked={checked.includes(value)}
          />
          {label}
        </label>
      ))}
      {errors?.length ? (
        <ul id={errorId} className="field-errors" role="alert">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  )
}

/** conform's initial value of a multi-value field, as a list. */
export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return typeof value === 'string' && value ? [value] : []
}
