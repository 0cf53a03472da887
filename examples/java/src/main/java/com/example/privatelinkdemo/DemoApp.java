package com.example.privatelinkdemo;

import io.github.cdkecsprivatelink.ApiHealthCheck;
import io.github.cdkecsprivatelink.EcsPrivateLinkApi;
import io.github.cdkecsprivatelink.EcsPrivateLinkApiMonitoring;
import io.github.cdkecsprivatelink.NagFindingAcknowledgement;
import io.github.cdkecsprivatelink.NagFindings;
import io.github.cdkecsprivatelink.PrivateLinkConsumer;
import io.github.cdkecsprivatelink.PrivateLinkProbe;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLog;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
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

      // 2 AZs, public + private subnets, 1 NAT gateway (the tasks pull their image from Docker
      // Hub); flow logs and every log group encrypted.
      Key logsKey = Key.Builder.create(this, "LogsKey").enableKeyRotation(true).description("Logs of the demo provider").build();
      Vpc vpc = demoVpc(this, "ProviderVpc", "10.0.0.0/16", 1, logsKey);

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
          // The demo's choices, made explicitly.
          .protocol(ApplicationProtocol.HTTP)
          .accessLogs(false) // ALB access logs need a stack with a region
          .deletionProtection(false) // so that `cdk destroy` removes the demo
          .logsEncryptionKey(logsKey)
          .build();
      NagFindings.acknowledge(this.api.getLoadBalancer(), acknowledgements(List.of("NIST.800.53.R5", "PCI.DSS.321"), "ALBWAFEnabled",
          "The example's internal ALB is reachable only through PrivateLink, from the accounts it allows; "
              + "a web ACL (webAclArn) costs about 5 USD a month."));

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

      // The consumer needs no NAT gateway: PrivateLink traffic stays inside AWS.
      Key logsKey = Key.Builder.create(this, "LogsKey").enableKeyRotation(true).description("Logs of the demo consumer").build();
      Vpc vpc = demoVpc(this, "ConsumerVpc", "10.1.0.0/16", 0, logsKey);

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
          .logsEncryptionKey(logsKey)
          .build();

      CfnOutput.Builder.create(this, "ProbeFunctionName")
          .description("The probe: a function in the consumer VPC that calls the API through PrivateLink")
          .value(probe.getLambdaFunction().getFunctionName())
          .build();
      CfnOutput.Builder.create(this, "ProbeAlarmTopicArn")
          .description("The probe's alarm goes here: aws sns subscribe --protocol email "
              + "--notification-endpoint <you> --topic-arn <this>")
          .value(probe.getAlarmTopic().getTopicArn())
          .build();
      CfnOutput.Builder.create(this, "TestCommand")
          .description("Run after deploy: GET /api/task/2 through PrivateLink")
          .value("aws lambda invoke --function-name " + probe.getLambdaFunction().getFunctionName()
              + " --cli-binary-format raw-in-base64-out --payload '{\"path\":\"/api/task/2\"}' /dev/stdout")
          .build();
    }
  }

  static final List<String> PACKS_WITH_VPC_RULES = List.of("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321");

  /**
   * Two AZs; public subnets that only hold the NAT gateways (no public IPs on launch) and private
   * ones, or isolated subnets without NAT; flow logs to an encrypted log group, kept one week. The
   * compliance findings that are this design are acknowledged on exactly their resources.
   */
  static Vpc demoVpc(final Construct scope, final String id, final String cidr, final int natGateways, final IKey logsKey) {
    List<SubnetConfiguration> subnets = natGateways > 0
        ? List.of(
            SubnetConfiguration.builder().name("Public").subnetType(SubnetType.PUBLIC).mapPublicIpOnLaunch(false).build(),
            SubnetConfiguration.builder().name("Private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
        : List.of(SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_ISOLATED).build());
    Vpc vpc = Vpc.Builder.create(scope, id)
        .ipAddresses(IpAddresses.cidr(cidr))
        .maxAzs(2)
        .natGateways(natGateways)
        .subnetConfiguration(subnets)
        .restrictDefaultSecurityGroup(true)
        .build();
    FlowLog flowLog = vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
        .destination(FlowLogDestination.toCloudWatchLogs(
            LogGroup.Builder.create(vpc, "FlowLogs").retention(RetentionDays.ONE_WEEK).encryptionKey(logsKey).build()))
        .build());
    for (ISubnet subnet : vpc.getPublicSubnets()) {
      NagFindings.acknowledge(subnet.getNode().findChild("DefaultRoute"), acknowledgements(PACKS_WITH_VPC_RULES,
          "VPCNoUnrestrictedRouteToIGW", "The public subnets hold only the NAT gateway the tasks pull their images through."));
    }
    NagFindings.acknowledge(flowLog.getNode().findChild("IAMRole"), acknowledgements(PACKS_WITH_VPC_RULES, "IAMNoInlinePolicy",
        "aws-cdk-lib writes the flow log role's grant (its log group) as the role's own policy."));
    return vpc;
  }

  /** The same rule of several packs, acknowledged for one reason. */
  static List<NagFindingAcknowledgement> acknowledgements(final List<String> packs, final String rule, final String reason) {
    return packs.stream()
        .map(pack -> NagFindingAcknowledgement.builder().id(pack + "-" + rule).reason(reason).build())
        .collect(Collectors.toList());
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
