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
import { ipTypeLabels, transferModeLabels, trlLabels } from '~/utils/labels'
import { resultFormSchema } from '~/validation/listings'

export interface ResultFormDefaults {
  title: string
  summary: string
  description: string
  fieldCode: string
  keywords: string
  trl: string
  ipType: string
  patentNos: string
  transferModes: string[]
  askingPrice: string
  leadExpertId: string
}

/** The one form for writing and editing a result; `version` marks an edit. */
export function ResultForm({
  lastResult,
  defaultValue,
  experts,
  version,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: ResultFormDefaults
  experts: { id: string; name: string; title: string | null }[]
  version?: number
  submitLabel: string
}) {
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'result-form',
    lastResult,
    // The schema accepts lists as arrays or text; conform's typing only knows the text form.
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(resultFormSchema),
    // Errors appear on the first submit, then follow each keystroke; validating on blur
    // would shift the layout under a pointer mid-click.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resultFormSchema }),
  })
  return (
    <Form method="post" {...getFormProps(form)} className="card">
      {version ? <input type="hidden" name="version" value={version} /> : null}
      <ErrorList id={form.errorId} errors={form.errors} />
      <InputField
        label="成果名称"
        field={fields.title}
        {...getInputProps(fields.title, { type: 'text' })}
        countTo={TEXT_LIMITS.listingTitle}
      />
      <Field
        label="成果简介"
        field={fields.summary}
        help={`${TEXT_LIMITS.resultSummaryMin}–${TEXT_LIMITS.resultSummary} 字：技术原理、关键指标、应用场景`}
      >
        {(helpId) => (
          <CharacterCount max={TEXT_LIMITS.resultSummary} initial={fields.summary.initialValue}>
            <textarea {...getTextareaProps(fields.summary, { ariaDescribedBy: helpId })} rows={4} />
          </CharacterCount>
        )}
      </Field>
      <Field label="详细介绍（选填）" field={fields.description}>
        <CharacterCount
          max={TEXT_LIMITS.resultDescription}
          initial={fields.description.initialValue}
        >
          <textarea {...getTextareaProps(fields.description)} rows={6} />
        </CharacterCount>
      </Field>
      <div className="form-grid">
        <Field label="技术领域" field={fields.fieldCode}>
          <select {...getSelectProps(fields.fieldCode)}>
            <FieldCodeOptions />
          </select>
        </Field>
        <Field label="技术成熟度（TRL，GB/T 22900）" field={fields.trl}>
          <select {...getSelectProps(fields.trl)}>
            <option value="">请选择</option>
            {Object.entries(trlLabels).map(([level, name]) => (
              <option key={level} value={level}>
                {level} 级 · {name}
              </option>
            ))}
          </select>
        </Field>
        <InputField
          label="关键词"
          field={getListFieldMeta(fields.keywords)}
          help={`用逗号或空格分隔，最多 ${TEXT_LIMITS.keywordsPerListing} 个，每个不超过 ${TEXT_LIMITS.keyword} 字`}
          {...getInputProps(fields.keywords, { type: 'text', ariaInvalid: 'allErrors' })}
        />
        <InputField
          label="意向价格（万元）"
          field={fields.askingPrice}
          help="留空表示面议"
          {...getInputProps(fields.askingPrice, { type: 'text' })}
          inputMode="decimal"
        />
        <Field label="知识产权类型" field={fields.ipType}>
          <select {...getSelectProps(fields.ipType)}>
            <option value="">未填写</option>
            {Object.entries(ipTypeLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="成果负责人" field={fields.leadExpertId}>
          <select {...getSelectProps(fields.leadExpertId)}>
            <option value="">未指定</option>
            {experts.map((expert) => (
              <option key={expert.id} value={expert.id}>
                {expert.name}
                {expert.title ? `（${expert.title}）` : ''}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field
        label="专利号（选填）"
        field={getListFieldMeta(fields.patentNos)}
        help="如 ZL202310123456.7，多个用逗号或换行分隔"
      >
        {(helpId) => (
          <textarea
            {...getTextareaProps(fields.patentNos, {
              ariaInvalid: 'allErrors',
              ariaDescribedBy: helpId,
            })}
            rows={2}
          />
        )}
      </Field>
      <CheckboxGroup legend="转化方式" field={fields.transferModes} options={transferModeLabels} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? '正在保存…' : submitLabel}
        </button>
      </div>
    </Form>
  )
}
