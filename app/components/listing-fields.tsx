import { useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'

import { ErrorList, getListFieldMeta } from '~/components/forms'
import { highTechFields, xianDistricts } from '~/domain/reference'

/** Sub-field options grouped under the 8 high-tech fields, for a <select>. */
export function FieldCodeOptions({ emptyLabel = '请选择' }: { emptyLabel?: string }) {
  return (
    <>
      <option value="">{emptyLabel}</option>
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
 * One labelled select of a GET filter form, showing the current query value. Give it
 * `options` (value → label, after a "不限" choice) or your own option elements as children.
 */
export function FilterSelect({
  label,
  name,
  options,
  children,
}: {
  label: string
  name: string
  options?: Record<string, string>
  children?: ReactNode
}) {
  const [searchParams] = useSearchParams()
  const id = `filter-${name}`
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={searchParams.get(name) ?? ''}>
        {children ?? (
          <>
            <option value="">不限</option>
            {Object.entries(options ?? {}).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </>
        )}
      </select>
    </>
  )
}

/** Xi'an districts as filter options. */
export const districtOptions = Object.fromEntries(
  xianDistricts.map((district) => [district.code, district.name]),
)
