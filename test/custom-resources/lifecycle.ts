/**
 * What CloudFormation and aws-cdk-lib's AwsCustomResource handler do with a `Custom::AWS`
 * resource across deployments, computed from the synthesized templates:
 *
 * - Create: the handler runs the `Create` call; the physical ID is the call's
 *   `physicalResourceId.id`, else the logical ID (the handler's own fallback).
 * - Update (the properties changed): it runs the `Update` call; the physical ID is that call's
 *   `physicalResourceId.id`, else the previous one. A different physical ID is a replacement:
 *   CloudFormation then sends Delete for the old physical ID, with the old properties, after the
 *   rest of the update ("If the value returned is different, AWS CloudFormation recognizes the
 *   update as a replacement and sends a delete request to the old resource",
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html).
 * - Delete (the stack is deleted): it runs the `Delete` call, if any.
 */

type Json = any;

export interface SdkCall {
  readonly request: 'Create' | 'Update' | 'Delete';
  readonly physicalResourceId: string;
  readonly action: string;
  readonly parameters: Json;
}

/** Evaluates the intrinsic functions of a template value, with `<LogicalId>` for a Ref and `<LogicalId.Attr>` for a GetAtt. */
export function evaluate(value: Json, vars: Record<string, string> = {}): Json {
  if (Array.isArray(value)) {
    return value.map(v => evaluate(v, vars));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if ('Ref' in value) {
    return vars[value.Ref] ?? `<${value.Ref}>`;
  }
  if ('Fn::GetAtt' in value) {
    const [id, attr] = value['Fn::GetAtt'];
    return vars[`${id}.${attr}`] ?? `<${id}.${attr}>`;
  }
  if ('Fn::Join' in value) {
    const [sep, parts] = value['Fn::Join'];
    return evaluate(parts, vars).join(sep);
  }
  if ('Fn::Select' in value) {
    const [index, list] = value['Fn::Select'];
    return evaluate(list, vars)[index];
  }
  if ('Fn::Split' in value) {
    const [sep, text] = value['Fn::Split'];
    return String(evaluate(text, vars)).split(sep);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, vars)]));
}

/** The parsed `Create`/`Update`/`Delete` call of a `Custom::AWS` resource in a template. */
function callOf(template: Json, logicalId: string, request: SdkCall['request'], vars: Record<string, string>): Json | undefined {
  const properties = template.Resources[logicalId]?.Properties;
  const text = properties?.[request];
  return text === undefined ? undefined : JSON.parse(evaluate(text, vars));
}

/**
 * The SDK calls a `Custom::AWS` resource makes when a stack is deployed with each template in
 * turn and then deleted, in the order they happen.
 */
export function lifecycle(templates: Json[], logicalId: string, vars: Record<string, string> = {}): SdkCall[] {
  const calls: SdkCall[] = [];
  let physicalId: string | undefined;
  let previous: Json | undefined;
  for (const template of templates) {
    const properties = template.Resources[logicalId]?.Properties;
    if (!previous) {
      const create = callOf(template, logicalId, 'Create', vars);
      physicalId = create?.physicalResourceId?.id ?? logicalId;
      calls.push({ request: 'Create', physicalResourceId: physicalId!, action: create.action, parameters: create.parameters });
    } else if (JSON.stringify(evaluate(properties, vars)) !== JSON.stringify(evaluate(previous.Resources[logicalId].Properties, vars))) {
      const update = callOf(template, logicalId, 'Update', vars);
      const newId = update?.physicalResourceId?.id ?? physicalId!;
      if (update) {
        calls.push({ request: 'Update', physicalResourceId: newId, action: update.action, parameters: update.parameters });
      }
      if (newId !== physicalId) {
        const oldDelete = callOf(previous, logicalId, 'Delete', vars);
        if (oldDelete) {
          calls.push({ request: 'Delete', physicalResourceId: physicalId!, action: oldDelete.action, parameters: oldDelete.parameters });
        }
      }
      physicalId = newId;
    }
    previous = template;
  }
  const last = callOf(previous, logicalId, 'Delete', vars);
  if (last) {
    calls.push({ request: 'Delete', physicalResourceId: physicalId!, action: last.action, parameters: last.parameters });
  }
  return calls;
}
