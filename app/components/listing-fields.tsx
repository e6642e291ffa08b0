import { Form, useLocation, useSearchParams, useSubmit } from '@remix-run/react'
import type { ReactNode } from 'react'

import { ErrorList, getListFieldMeta } from '~/components/forms'
import { highTechFields, xianDistricts } from '~/domain/reference'

/**
 * Sub-field options grouped under the 8 high-tech fields, for a <select>, by name only (the
 * codes mean nothing to users). An optgroup label cannot be chosen, so filters pass
 * `wholeFields` to offer each field itself first ("电子信息（全部）"); listings are filed under
 * a sub-field and their forms do not.
 */
export function FieldCodeOptions({
  emptyLabel = '请选择',
  wholeFields = false,
}: {
  emptyLabel?: string
  wholeFields?: boolean
}) {
  return (
    <>
      <option value="">{emptyLabel}</option>
      {highTechFields.map((field) => (
        <optgroup key={field.code} label={field.name}>
          {wholeFields ? <option value={field.code}>{field.name}（全部）</option> : null}
          {field.children.map((child) => (
            <option key={child.code} value={child.code}>
              {child.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  )
}

/**
 * A group of checkboxes posting an array under one name; keyboard usable as a fieldset.
 * Takes the list field's conform metadata, so that item errors (`transferModes[1]`) show too.
 */
export function CheckboxGroup({
  legend,
  field,
  options,
}: {
  legend: string
  field: { name: string; initialValue?: unknown } & Parameters<typeof getListFieldMeta>[0]
  options: Record<string, string>
}) {
  const { errorId, errors } = getListFieldMeta(field)
  const checked = asList(field.initialValue)
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
            name={field.name}
            value={value}
            defaultChecked={checked.includes(value)}
          />
          {label}
        </label>
      ))}
      <ErrorList id={errorId} errors={errors} />
    </fieldset>
  )
}

/** conform's initial value of a multi-value field, as a list. */
function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return typeof value === 'string' && value ? [value] : []
}

/**
 * A GET form of list filters. Empty fields are left out of the address, so that shared links
 * carry only the chosen filters; without JavaScript the browser sends them all and the list's
 * loader redirects to the same clean address. Remounted per address, so back/forward shows
 * the filters of the page shown rather than stale input.
 */
export function FilterForm({ label, children }: { label: string; children: ReactNode }) {
  const submit = useSubmit()
  const location = useLocation()
  return (
    <Form
      method="get"
      className="filter-bar"
      aria-label={label}
      key={location.search}
      onSubmit={(event) => {
        event.preventDefault()
        const chosen = new URLSearchParams()
        for (const [name, value] of new FormData(event.currentTarget)) {
          if (typeof value === 'string' && value.trim() !== '') chosen.append(name, value)
        }
        submit(chosen, { method: 'get' })
      }}
    >
      {children}
    </Form>
  )
}

/**
 * One labelled select of a filter form, showing the current query value. Give it `options`
 * (value → label, after an `emptyLabel` choice) or your own option elements as children.
 */
export function FilterSelect({
  label,
  name,
  options,
  emptyLabel = '不限',
  children,
}: {
  label: string
  name: string
  options?: Record<string, string>
  emptyLabel?: string
  children?: ReactNode
}) {
  const [searchParams] = useSearchParams()
  const id = `filter-${name}`
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={searchParams.get(name) ?? ''}>
        {children ?? (
          <>
            <option value="">{emptyLabel}</option>
            {Object.entries(options ?? {}).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </>
        )}
      </select>
    </div>
  )
}

/** The submit button and the result count that end a filter form. */
export function FilterSubmit({ count }: { count: string }) {
  return (
    <div className="filter filter--end">
      <button type="submit" className="button button--ghost">
        筛选
      </button>
      <span className="muted" role="status">
        {count}
      </span>
    </div>
  )
}

/** Xi'an districts as filter options. */
export const districtOptions = Object.fromEntries(
  xianDistricts.map((district) => [district.code, district.name]),
)
