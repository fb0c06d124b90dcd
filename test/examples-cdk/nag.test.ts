import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { exampleAssembly, validationReport, variantAssembly } from './support';

describe('cdk-nag (AwsSolutions and NIST 800-53 R5)', () => {
  test('GIVEN an unacknowledged finding WHEN synthesized THEN synthesis fails naming the rule (the check below is live)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new s3.Bucket(new Stack(app, 'Probe'), 'Bucket');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S10[\s\S]*Probe\/Bucket/);
  });

  // The assemblies cfn-lint reads (with the CLI's path metadata, which no rule looks at): synthesized once per run.
  test('GIVEN the example app WHEN synthesized THEN no finding is left unacknowledged', () => {
    const assembly = exampleAssembly(true);
    expect(validationReport(assembly).pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  test('GIVEN the variant fleet (serverless store, API keys, DNS-validated certificate, priority pool) WHEN synthesized THEN no finding is left unacknowledged', () => {
    const assembly = variantAssembly(true);
    expect(validationReport(assembly).pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });
});
