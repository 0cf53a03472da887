import { readFileSync } from 'fs';
import { DIAGRAM_PATH, demoFacts, renderDiagram } from './render-diagram';

describe('architecture diagram', () => {
  test('shows the demo path with its ports, read from the templates', () => {
    expect(demoFacts()).toEqual(expect.objectContaining({
      consumerCidr: '10.1.0.0/16',
      providerCidr: '10.0.0.0/16',
      endpointPort: 80,
      nlb: 'TCP :80',
      alb: 'HTTP :8888',
      tasks: 2,
      containerPort: 8080,
      image: 'lvthillo/python-flask-api',
    }));
    const svg = renderDiagram();
    for (const text of ['Consumer VPC', 'Interface', 'Endpoint service', 'Internal NLB', 'Internal ALB', 'Fargate tasks ×2', 'TCP :80', 'HTTP :8888', ':8080']) {
      expect(svg).toContain(text);
    }
  });

  test('the committed docs/architecture.svg is up to date (regenerate with npx projen diagram)', () => {
    expect(readFileSync(DIAGRAM_PATH, 'utf8')).toEqual(renderDiagram());
  });
});
