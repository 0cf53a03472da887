/**
 * Renders docs/architecture.svg from the demo app's synthesized templates: the consumer VPC, the
 * interface endpoint, the endpoint service, the NLB, the ALB and the tasks, with their ports and
 * who may reach what. Every label is read from the templates, so the picture follows the code.
 *
 *   npx projen diagram      (rewrites docs/architecture.svg; a test fails while it is stale)
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDemo } from '../../examples/demo/demo-stacks';

type Resources = Record<string, { Type: string; Properties?: any }>;

/** The facts the diagram shows, read from the demo's templates. */
export function demoFacts() {
  const { provider, consumer } = buildDemo(new App());
  const p: Resources = Template.fromStack(provider).toJSON().Resources;
  const c: Resources = Template.fromStack(consumer).toJSON().Resources;
  const of = (r: Resources, type: string) => Object.values(r).filter(x => x.Type === type).map(x => x.Properties ?? {});
  const listeners = of(p, 'AWS::ElasticLoadBalancingV2::Listener');
  const nlbListener = listeners.find(l => l.Protocol === 'TCP' || l.Protocol === 'TLS')!;
  const albListener = listeners.find(l => l.Protocol === 'HTTP' || l.Protocol === 'HTTPS')!;
  const service = of(p, 'AWS::ECS::Service')[0];
  const container = of(p, 'AWS::ECS::TaskDefinition')[0].ContainerDefinitions[0];
  const endpointIngress = [...of(c, 'AWS::EC2::SecurityGroupIngress'), ...of(c, 'AWS::EC2::SecurityGroup').flatMap(sg => sg.SecurityGroupIngress ?? [])];
  return {
    consumerCidr: of(c, 'AWS::EC2::VPC')[0].CidrBlock as string,
    providerCidr: of(p, 'AWS::EC2::VPC')[0].CidrBlock as string,
    endpointPort: endpointIngress[0]?.FromPort as number,
    endpointSubnets: (of(c, 'AWS::EC2::VPCEndpoint')[0].SubnetIds ?? []).length as number,
    probe: of(c, 'AWS::Lambda::Function').some(f => f.VpcConfig),
    acceptance: of(p, 'AWS::EC2::VPCEndpointService')[0].AcceptanceRequired as boolean,
    nlb: `${nlbListener.Protocol} :${nlbListener.Port}`,
    alb: `${albListener.Protocol} :${albListener.Port}`,
    tasks: service.DesiredCount as number,
    image: container.Image as string,
    containerPort: container.PortMappings[0].ContainerPort as number,
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderDiagram(): string {
  const f = demoFacts();
  const box = (x: number, y: number, w: number, h: number, title: string, lines: string[], fill: string) =>
    `<g><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="#232f3e" stroke-width="1.5"/>` +
    `<text x="${x + w / 2}" y="${y + 24}" text-anchor="middle" font-weight="bold">${esc(title)}</text>` +
    lines.map((l, i) => `<text x="${x + w / 2}" y="${y + 44 + i * 17}" text-anchor="middle" font-size="12">${esc(l)}</text>`).join('') + '</g>';
  const arrow = (x1: number, x2: number, y: number, label: string) =>
    `<line x1="${x1}" y1="${y}" x2="${x2 - 4}" y2="${y}" stroke="#232f3e" stroke-width="2" marker-end="url(#arrow)"/>` +
    `<text x="${(x1 + x2) / 2}" y="${y - 8}" text-anchor="middle" font-size="12">${esc(label)}</text>`;
  const y = 110;
  const h = 110;
  const mid = y + h / 2;
  const parts = [
    '<svg xmlns="http://www.w3.org/2000/svg" width="1260" height="300" viewBox="0 0 1260 300" font-family="Helvetica, Arial, sans-serif" font-size="14">',
    '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#232f3e"/></marker></defs>',
    '<rect width="1260" height="300" fill="#ffffff"/>',
    '<text x="630" y="28" text-anchor="middle" font-size="17" font-weight="bold">cdk-ecs-privatelink: the demo topology (examples/demo)</text>',
    // consumer VPC
    '<rect x="15" y="50" width="335" height="230" rx="12" fill="#f2f8fd" stroke="#147eba" stroke-dasharray="6 4"/>',
    `<text x="182" y="72" text-anchor="middle" font-weight="bold" fill="#147eba">Consumer VPC ${esc(f.consumerCidr)} (no NAT)</text>`,
    box(35, y, 130, h, 'Probe', ['Lambda function', 'private subnets', f.probe ? 'GET /api/task/2' : ''], '#fff4e5'),
    box(205, y, 130, h, 'Interface', ['VPC endpoint', `:${f.endpointPort}, ${f.endpointSubnets} AZs`, 'own SG: probe only'], '#e8f4fb'),
    arrow(165, 205, mid, `:${f.endpointPort}`),
    // PrivateLink, between the two accounts' VPCs
    arrow(335, 465, mid, ''),
    `<text x="400" y="${mid - 22}" text-anchor="middle" font-size="12" font-weight="bold">AWS</text>`,
    `<text x="400" y="${mid - 8}" text-anchor="middle" font-size="12" font-weight="bold">PrivateLink</text>`,
    // provider VPC
    '<rect x="445" y="50" width="800" height="230" rx="12" fill="#f4faf1" stroke="#3f8624" stroke-dasharray="6 4"/>',
    `<text x="845" y="72" text-anchor="middle" font-weight="bold" fill="#3f8624">Provider VPC ${esc(f.providerCidr)}</text>`,
    box(465, y, 150, h, 'Endpoint service', [`acceptance ${f.acceptance ? 'required' : 'automatic'}`, 'allowed principals', 'only'], '#ffffff'),
    box(655, y, 150, h, 'Internal NLB', [f.nlb, 'own security group:', 'egress to ALB only'], '#ffffff'),
    box(845, y, 150, h, 'Internal ALB', [f.alb, 'admits the NLB SG', '(target type alb)'], '#ffffff'),
    box(1035, y, 195, h, `Fargate tasks ×${f.tasks}`, [f.image, `container :${f.containerPort}`, 'admit the ALB SG only'], '#fff4e5'),
    arrow(615, 655, mid, f.nlb.replace(/^\w+ /, '')),
    arrow(805, 845, mid, f.alb.replace(/^\w+ /, '')),
    arrow(995, 1035, mid, `:${f.containerPort}`),
    `<text x="845" y="262" text-anchor="middle" font-size="12" fill="#555">Only open path: endpoint → NLB ${esc(f.nlb)} → ALB ${esc(f.alb)} → tasks :${f.containerPort}. Nothing else reaches the ALB or the tasks.</text>`,
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

export const DIAGRAM_PATH = path.join(__dirname, '..', '..', 'docs', 'architecture.svg');

if (require.main === module) {
  writeFileSync(DIAGRAM_PATH, renderDiagram());
  console.log(`wrote ${path.relative(process.cwd(), DIAGRAM_PATH)}`);
}
