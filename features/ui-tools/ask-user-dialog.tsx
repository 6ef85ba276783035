"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/features/ui-tools/modal";
import { CANCELLED_BY_USER, type DialogRequest } from "@/features/ui-tools/ui-requests";
import { askUserFieldName, type AskUserArgs, type AskUserField } from "@/lib/shared/agent-turn/ui-toolkit";

type Answers = Record<string, string | boolean>;

function initialAnswers(form: AskUserArgs["form"]): Answers {
  const answers: Answers = {};
  for (const field of form) {
    if ("input" in field) answers[field.input.name] = field.input.default_value;
    else if ("checkbox" in field) answers[field.checkbox.name] = field.checkbox.default_value;
    else if ("radio_group" in field) answers[field.radio_group.name] = field.radio_group.default_value;
    else answers[field.select.name] = field.select.default_value || field.select.options[0].value;
  }
  return answers;
}

const control =
  "w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-700 dark:bg-zinc-950";

function Field({
  field,
  id,
  value,
  onChange,
}: {
  field: AskUserField;
  id: string;
  value: string | boolean;
  onChange: (value: string | boolean) => void;
}) {
  // Labelled by its description, as MeshAgent's UIs label it; by its name when it has none.
  if ("input" in field) {
    const label = field.input.description || field.input.name;
    return (
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium">
          {label}
        </label>
        {field.input.multiline ? (
          <textarea
            id={id}
            rows={3}
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
            className={control}
          />
        ) : (
          <input id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} className={control} />
        )}
      </div>
    );
  }
  if ("checkbox" in field) {
    return (
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {field.checkbox.description || field.checkbox.name}
      </label>
    );
  }
  if ("radio_group" in field) {
    const group = field.radio_group;
    return (
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">{group.description || group.name}</legend>
        {group.options.map((option, index) => (
          <label key={index} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name={id}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
            />
            {option.name}
          </label>
        ))}
      </fieldset>
    );
  }
  const select = field.select;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {select.description || select.name}
      </label>
      <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} className={control}>
        {select.options.map((option, index) => (
          <option key={index} value={option.value}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * ask_user: the agent's form as a dialog named by its subject, saying who
 * asks. Everything in it is the agent's text, rendered as text. Submit
 * answers with the values by field name; Cancel answers at once with an error.
 */
export function AskUserDialog({
  request,
  args,
  onFinish,
}: {
  request: DialogRequest;
  args: AskUserArgs;
  onFinish: (key: string, content: Parameters<DialogRequest["respond"]>[0]) => void;
}) {
  const id = useId();
  const [answers, setAnswers] = useState(() => initialAnswers(args.form));
  const cancel = () => onFinish(request.key, { type: "error", text: CANCELLED_BY_USER });

  return (
    <Modal titleId={`${id}-title`} onCancel={cancel} testId="ask-user">
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          onFinish(request.key, { type: "json", json: answers });
        }}
      >
        <div>
          <h2 id={`${id}-title`} className="text-base font-semibold">
            {args.subject}
          </h2>
          <p className="text-xs text-zinc-700 dark:text-zinc-300">{request.asker} asks</p>
          {args.help ? <p className="mt-2 text-sm text-zinc-800 dark:text-zinc-200">{args.help}</p> : null}
        </div>
        {args.form.map((field, index) => {
          const name = askUserFieldName(field);
          return (
            <Field
              key={name}
              field={field}
              id={`${id}-field-${index}`}
              value={answers[name] ?? ""}
              onChange={(value) => setAnswers((current) => ({ ...current, [name]: value }))}
            />
          );
        })}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={cancel}>
            Cancel
          </Button>
          <Button type="submit">Submit</Button>
        </div>
      </form>
    </Modal>
  );
}
