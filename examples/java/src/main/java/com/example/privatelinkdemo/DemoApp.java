package com.example.privatelinkdemo;

import io.github.cdkecsprivatelink.ApiHealthCheck;
import io.github.cdkecsprivatelink.EcsPrivateLinkApi;
import io.github.cdkecsprivatelink.EcsPrivateLinkApiMonitoring;
import io.github.cdkecsprivatelink.PrivateLinkConsumer;
import io.github.cdkecsprivatelink.PrivateLinkProbe;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/** The blog's demo topology in Java, built with cdk-ecs-privatelink (same app as examples/demo). */
public final class DemoApp {

  /** The API provider: the task API on Fargate, offered through PrivateLink. */
  static final class ProviderStack extends Stack {
    final EcsPrivateLinkApi api;

    ProviderStack(final Construct scope, final String id, final StackProps props) {
      super(scope, id, props);

      Vpc vpc = Vpc.Builder.create(this, "ProviderVpc")
          .ipAddresses(IpAddresses.cidr("10.0.0.0/16"))
          .maxAzs(2)
          .natGateways(1)
          .build();
      addFlowLog(vpc);

      this.api = EcsPrivateLinkApi.Builder.create(this, "TaskApi")
          .vpc(vpc)
          .image(ContainerImage.fromRegistry("lvthillo/python-flask-api"))
          .containerPort(8080)
          .desiredCount(2)
          .cpu(256)
          .memoryLimitMiB(512)
          .port(80) // the NLB listener: what consumers connect to
          .loadBalancerPort(8888) // the ALB listener, as in the blog
          .healthCheck(ApiHealthCheck.builder().path("/api/tasks").build())
          // The demo's consumer is in this same account. Connections still need acceptance
          // (acceptanceRequired stays on); this account's are accepted automatically.
          .allowedPrincipals(List.of(Aws.ACCOUNT_ID))
          .autoAcceptAccounts(List.of(Aws.ACCOUNT_ID))
          .build();

      // Alarms over the whole chain (to a new encrypted topic) and a dashboard.
      EcsPrivateLinkApiMonitoring monitoring = EcsPrivateLinkApiMonitoring.Builder.create(this, "Monitoring")
          .api(this.api)
          .build();
      CfnOutput.Builder.create(this, "AlarmTopicArn")
          .description("Alarms of the chain go here: aws sns subscribe --protocol email "
              + "--notification-endpoint <you> --topic-arn <this>")
          .value(monitoring.getAlarmTopic().getTopicArn())
          .build();
      CfnOutput.Builder.create(this, "DashboardName")
          .description("The CloudWatch dashboard of the chain")
          .value(monitoring.getDashboard().getDashboardName())
          .build();
    }
  }

  /** The customer: a VPC reaching the task API through an interface endpoint. */
  static final class ConsumerStack extends Stack {
    ConsumerStack(final Construct scope, final String id, final StackProps props, final EcsPrivateLinkApi api) {
      super(scope, id, props);

      Vpc vpc = Vpc.Builder.create(this, "ConsumerVpc")
          .ipAddresses(IpAddresses.cidr("10.1.0.0/16"))
          .maxAzs(2)
          .natGateways(0)
          .subnetConfiguration(List.of(SubnetConfiguration.builder()
              .name("private")
              .subnetType(SubnetType.PRIVATE_ISOLATED)
              .build()))
          .build();
      addFlowLog(vpc);

      PrivateLinkConsumer consumer = PrivateLinkConsumer.Builder.create(this, "TaskApiEndpoint")
          .vpc(vpc)
          .api(api)
          .allowedPeers(List.of())
          .build();

      // A canary in the consumer's private subnets: calls the API through the endpoint every
      // 5 minutes, publishes Success and Latency metrics, alarms when the API is unreachable.
      PrivateLinkProbe probe = PrivateLinkProbe.Builder.create(this, "Probe")
          .consumer(consumer)
          .paths(List.of("/api/tasks", "/api/task/2"))
          .build();

      CfnOutput.Builder.create(this, "ProbeFunctionName")
          .description("The probe: a function in the consumer VPC that calls the API through PrivateLink")
          .value(probe.getLambdaFunction().getFunctionName())
          .build();
      CfnOutput.Builder.create(this, "TestCommand")
          .description("Run after deploy: GET /api/task/2 through PrivateLink")
          .value("aws lambda invoke --function-name " + probe.getLambdaFunction().getFunctionName()
              + " --cli-binary-format raw-in-base64-out --payload '{\"path\":\"/api/task/2\"}' /dev/stdout")
          .build();
    }
  }

  /** VPC flow logs to CloudWatch Logs, kept one week. */
  static void addFlowLog(final Vpc vpc) {
    vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
        .destination(FlowLogDestination.toCloudWatchLogs(
            LogGroup.Builder.create(vpc, "FlowLogs").retention(RetentionDays.ONE_WEEK).build()))
        .build());
  }

  public static void main(final String[] args) {
    App app = new App();
    ProviderStack provider = new ProviderStack(app, "PrivateLinkDemo-Provider", StackProps.builder()
        .description("cdk-ecs-privatelink demo: the API provider (Fargate, ALB, NLB, endpoint service, monitoring)")
        .build());
    new ConsumerStack(app, "PrivateLinkDemo-Consumer", StackProps.builder()
        .description("cdk-ecs-privatelink demo: the API consumer (interface endpoint and a probe)")
        .build(), provider.api);
    app.synth();
  }
}
