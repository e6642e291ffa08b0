import { Form } from '@remix-run/react'

/** The search box of a list page: a plain GET form to the search page, on the same tab. */
export function ListSearchBox({
  kind,
  label,
  placeholder,
}: {
  kind: 'results' | 'needs' | 'experts'
  label: string
  placeholder: string
}) {
  const id = `list-search-${kind}`
  return (
    <Form method="get" action="/search" role="search" className="search-form" aria-label={label}>
      <input type="hidden" name="kind" value={kind} />
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        name="q"
        placeholder={placeholder}
        maxLength={2000}
        autoComplete="off"
      />
      <button type="submit" className="button">
        搜索
      </button>
    </Form>
  )
}
