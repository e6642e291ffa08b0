import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type DefaultValue,
  type FormMetadata,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { z } from 'zod'

import { CharacterCount, ErrorList, Field, getListFieldMeta, InputField } from '~/components/forms'
import { TEXT_LIMITS } from '~/domain/limits'
import { highTechFields } from '~/domain/reference'
import type { expertFormSchema } from '~/validation/listings'

type ExpertFormInput = z.input<typeof expertFormSchema>

/** The fields of an expert form whose schema adds its own to the shared expert fields. */
type ExpertFields<Schema extends z.ZodType<unknown, ExpertFormInput>> = ReturnType<
  FormMetadata<z.input<Schema>>['getFieldset']
>

/**
 * The one form for creating and editing an expert. `schema` extends `expertFormSchema`;
 * `children` renders what a page adds to it (given the form's fields), after the shared ones.
 */
export function ExpertForm<Schema extends z.ZodType<unknown, ExpertFormInput>>({
  id,
  schema,
  lastResult,
  defaultValue,
  submitLabel,
  submitDisabled = false,
  cancelTo,
  children,
}: {
  id: string
  schema: Schema
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: DefaultValue<z.input<Schema>>
  submitLabel: string
  submitDisabled?: boolean
  cancelTo: string
  children?: (fields: ExpertFields<Schema>) => ReactNode
}) {
  const navigation = useNavigation()
  const [form, allFields] = useForm<z.input<Schema>, z.output<Schema>>({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(schema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  // A page's schema only adds fields, so the shared ones are always there.
  const fields = allFields as unknown as ExpertFields<typeof expertFormSchema>
  const fieldsMeta = getListFieldMeta(fields.fields)
  const keywordsMeta = getListFieldMeta(fields.keywords)
  const selectedFields = ([] as unknown[]).concat(fields.fields.initialValue ?? []).map(String)
  const submitting = navigation.state === 'submitting'
  return (
    <Form method="post" {...getFormProps(form)} className="narrow-form">
      <ErrorList id={form.errorId} errors={form.errors} />
      <InputField
        label="专家姓名"
        field={fields.name}
        {...getInputProps(fields.name, { type: 'text' })}
        autoComplete="off"
      />
      <InputField
        label="职称"
        field={fields.title}
        help="如 教授、研究员、高级工程师（选填）"
        {...getInputProps(fields.title, { type: 'text' })}
      />
      <Field label="技术领域" field={fieldsMeta} help="按住 Ctrl（Mac 上为 ⌘）可多选，最多 3 个">
        {(helpId) => (
          <select
            {...getSelectProps(fields.fields, {
              ariaInvalid: 'allErrors',
              ariaDescribedBy: helpId,
            })}
            multiple
            size={10}
            defaultValue={selectedFields}
          >
            {highTechFields.map((field) => (
              <optgroup key={field.code} label={field.name}>
                <option value={field.code}>{field.name}（整个领域）</option>
                {field.children.map((child) => (
                  <option key={child.code} value={child.code}>
                    {child.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      <InputField
        label="关键词"
        field={keywordsMeta}
        help={`研究方向关键词，用逗号分隔，最多 ${TEXT_LIMITS.keywordsPerListing} 个，每个不超过 ${TEXT_LIMITS.keyword} 字`}
        {...getInputProps(fields.keywords, { type: 'text', ariaInvalid: 'allErrors' })}
        required={false}
        multiple={false}
      />
      <Field label="个人简介" field={fields.bio} help={`选填，不超过 ${TEXT_LIMITS.expertBio} 字`}>
        {(helpId) => (
          <CharacterCount max={TEXT_LIMITS.expertBio} initial={fields.bio.initialValue}>
            <textarea {...getTextareaProps(fields.bio, { ariaDescribedBy: helpId })} rows={6} />
          </CharacterCount>
        )}
      </Field>
      {children?.(allFields)}
      <p>
        <button type="submit" className="button" disabled={submitDisabled || submitting}>
          {submitting ? '正在保存…' : submitLabel}
        </button>{' '}
        <Link to={cancelTo} className="button button--ghost">
          取消
        </Link>
      </p>
    </Form>
  )
}
