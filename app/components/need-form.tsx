import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'

import { CharacterCount, ErrorList, Field, getListFieldMeta, InputField } from '~/components/forms'
import { CheckboxGroup, FieldCodeOptions } from '~/components/listing-fields'
import { TEXT_LIMITS } from '~/domain/limits'
import { cooperationModeLabels } from '~/utils/labels'
import { needFormSchema } from '~/validation/listings'

export interface NeedFormDefaults {
  title: string
  description: string
  fieldCode: string
  keywords: string
  budgetMin: string
  budgetMax: string
  deadline: string
  cooperationModes: string[]
}

/** The one form for posting and editing a need; `version` marks an edit. */
export function NeedForm({
  lastResult,
  defaultValue,
  version,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: NeedFormDefaults
  version?: number
  submitLabel: string
}) {
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'need-form',
    lastResult,
    // The schema accepts lists as arrays or text; conform's typing only knows the text form.
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(needFormSchema),
    // Errors appear on the first submit, then follow each keystroke; validating on blur
    // would shift the layout under a pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: needFormSchema }),
  })
  return (
    <Form method="post" {...getFormProps(form)} className="card">
      {version ? <input type="hidden" name="version" value={version} /> : null}
      <ErrorList id={form.errorId} errors={form.errors} />
      <InputField
        label="需求名称"
        field={fields.title}
        {...getInputProps(fields.title, { type: 'text' })}
        countTo={TEXT_LIMITS.listingTitle}
      />
      <Field
        label="需求描述"
        field={fields.description}
        help={`${TEXT_LIMITS.needDescriptionMin}–${TEXT_LIMITS.needDescription} 字：要解决的问题、现有条件、技术指标要求`}
      >
        {(helpId) => (
          <CharacterCount
            max={TEXT_LIMITS.needDescription}
            initial={fields.description.initialValue}
          >
            <textarea
              {...getTextareaProps(fields.description, { ariaDescribedBy: helpId })}
              rows={6}
            />
          </CharacterCount>
        )}
      </Field>
      <div className="form-grid">
        <Field label="技术领域" field={fields.fieldCode}>
          <select {...getSelectProps(fields.fieldCode)}>
            <FieldCodeOptions />
          </select>
        </Field>
        <InputField
          label="关键词"
          field={getListFieldMeta(fields.keywords)}
          help={`用逗号或空格分隔，最多 ${TEXT_LIMITS.keywordsPerListing} 个，每个不超过 ${TEXT_LIMITS.keyword} 字`}
          {...getInputProps(fields.keywords, { type: 'text', ariaInvalid: 'allErrors' })}
        />
        <InputField
          label="预算下限（万元）"
          field={fields.budgetMin}
          help="选填"
          {...getInputProps(fields.budgetMin, { type: 'text' })}
          inputMode="decimal"
        />
        <InputField
          label="预算上限（万元）"
          field={fields.budgetMax}
          help="选填；都不填表示面议"
          {...getInputProps(fields.budgetMax, { type: 'text' })}
          inputMode="decimal"
        />
        <InputField
          label="截止日期"
          field={fields.deadline}
          help="选填"
          {...getInputProps(fields.deadline, { type: 'date' })}
        />
      </div>
      <CheckboxGroup
        legend="合作方式"
        field={fields.cooperationModes}
        options={cooperationModeLabels}
      />
      <div className="form-actions">
        <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? '正在保存…' : submitLabel}
        </button>
      </div>
    </Form>
  )
}
