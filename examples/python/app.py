#!/usr/bin/env python3
"""The blog's demo topology in Python, built with cdk-ecs-privatelink.

The same app as examples/demo (TypeScript), written the way a Python user writes it.

    pip install -r requirements.txt
    npx cdk synth              # no AWS account needed
    npx cdk deploy --all       # with one
"""
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from cdk_ecs_privatelink import (
    ApiHealthCheck,
    EcsPrivateLinkApi,
    EcsPrivateLinkApiMonitoring,
    NagFindingAcknowledgement,
    NagFindings,
    PrivateLinkConsumer,
    PrivateLinkProbe,
)
from constructs import Construct

PACKS_WITH_VPC_RULES = ["NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"]


def demo_vpc(scope: Construct, construct_id: str, *, cidr: str, nat_gateways: int, logs_key: kms.IKey) -> ec2.Vpc:
    """Two AZs; public subnets that only hold the NAT gateways (no public IPs on launch) and private
    ones, or isolated subnets without NAT; flow logs to an encrypted log group, kept one week. The
    compliance findings that are this design are acknowledged on exactly their resources."""
    if nat_gateways > 0:
        subnets = [
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC, map_public_ip_on_launch=False),
            ec2.SubnetConfiguration(name="Private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        ]
    else:
        subnets = [ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)]
    vpc = ec2.Vpc(
        scope, construct_id,
        ip_addresses=ec2.IpAddresses.cidr(cidr),
        max_azs=2,
        nat_gateways=nat_gateways,
        subnet_configuration=subnets,
        restrict_default_security_group=True,
    )
    flow_log = vpc.add_flow_log(
        "FlowLog",
        destination=ec2.FlowLogDestination.to_cloud_watch_logs(
            logs.LogGroup(vpc, "FlowLogs", retention=logs.RetentionDays.ONE_WEEK, encryption_key=logs_key)
        ),
    )
    for subnet in vpc.public_subnets:
        NagFindings.acknowledge(subnet.node.find_child("DefaultRoute"), [
            NagFindingAcknowledgement(
                id=f"{pack}-VPCNoUnrestrictedRouteToIGW",
                reason="The public subnets hold only the NAT gateway the tasks pull their images through.",
            )
            for pack in PACKS_WITH_VPC_RULES
        ])
    NagFindings.acknowledge(flow_log.node.find_child("IAMRole"), [
        NagFindingAcknowledgement(
            id=f"{pack}-IAMNoInlinePolicy",
            reason="aws-cdk-lib writes the flow log role's grant (its log group) as the role's own policy.",
        )
        for pack in PACKS_WITH_VPC_RULES
    ])
    return vpc


class ProviderStack(cdk.Stack):
    """The API provider: the task API on Fargate, offered through PrivateLink."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # 2 AZs, public + private subnets, 1 NAT gateway (the tasks pull their image from Docker
        # Hub); flow logs and every log group encrypted.
        logs_key = kms.Key(self, "LogsKey", enable_key_rotation=True, description="Logs of the demo provider")
        vpc = demo_vpc(self, "ProviderVpc", cidr="10.0.0.0/16", nat_gateways=1, logs_key=logs_key)

        self.api = EcsPrivateLinkApi(
            self, "TaskApi",
            vpc=vpc,
            image=ecs.ContainerImage.from_registry("lvthillo/python-flask-api"),
            container_port=8080,
            desired_count=2,
            cpu=256,
            memory_limit_mib=512,
            port=80,  # the NLB listener: what consumers connect to
            load_balancer_port=8888,  # the ALB listener, as in the blog
            health_check=ApiHealthCheck(path="/api/tasks"),
            # The demo's consumer is in this same account. Connections still need acceptance
            # (acceptance_required stays on); this account's are accepted automatically.
            allowed_principals=[cdk.Aws.ACCOUNT_ID],
            auto_accept_accounts=[cdk.Aws.ACCOUNT_ID],
            # The demo's choices, made explicitly.
            protocol=elbv2.ApplicationProtocol.HTTP,
            access_logs=False,  # ALB access logs need a stack with a region
            deletion_protection=False,  # so that `cdk destroy` removes the demo
            logs_encryption_key=logs_key,
        )
        NagFindings.acknowledge(self.api.load_balancer, [
            NagFindingAcknowledgement(
                id=f"{pack}-ALBWAFEnabled",
                reason="The example's internal ALB is reachable only through PrivateLink, from the accounts it allows; "
                "a web ACL (webAclArn) costs about 5 USD a month.",
            )
            for pack in ["NIST.800.53.R5", "PCI.DSS.321"]
        ])

        # Alarms over the whole chain (to a new encrypted topic) and a dashboard.
        self.monitoring = EcsPrivateLinkApiMonitoring(self, "Monitoring", api=self.api)
        cdk.CfnOutput(
            self, "AlarmTopicArn",
            description="Alarms of the chain go here: aws sns subscribe --protocol email "
            "--notification-endpoint <you> --topic-arn <this>",
            value=self.monitoring.alarm_topic.topic_arn,
        )
        cdk.CfnOutput(
            self, "DashboardName",
            description="The CloudWatch dashboard of the chain",
            value=self.monitoring.dashboard.dashboard_name,
        )


class ConsumerStack(cdk.Stack):
    """The customer: a VPC reaching the task API through an interface endpoint."""

    def __init__(self, scope: Construct, construct_id: str, *, api: EcsPrivateLinkApi, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # The consumer needs no NAT gateway: PrivateLink traffic stays inside AWS.
        logs_key = kms.Key(self, "LogsKey", enable_key_rotation=True, description="Logs of the demo consumer")
        vpc = demo_vpc(self, "ConsumerVpc", cidr="10.1.0.0/16", nat_gateways=0, logs_key=logs_key)

        consumer = PrivateLinkConsumer(self, "TaskApiEndpoint", vpc=vpc, api=api, allowed_peers=[])

        # A canary in the consumer's private subnets: calls the API through the endpoint every
        # 5 minutes, publishes Success and Latency metrics, alarms when the API is unreachable.
        probe = PrivateLinkProbe(
            self, "Probe",
            consumer=consumer,
            paths=["/api/tasks", "/api/task/2"],
            logs_encryption_key=logs_key,
        )

        cdk.CfnOutput(
            self, "ProbeFunctionName",
            description="The probe: a function in the consumer VPC that calls the API through PrivateLink",
            value=probe.lambda_function.function_name,
        )
        cdk.CfnOutput(
            self, "ProbeAlarmTopicArn",
            description="The probe's alarm goes here: aws sns subscribe --protocol email "
            "--notification-endpoint <you> --topic-arn <this>",
            value=probe.alarm_topic.topic_arn,
        )
        cdk.CfnOutput(
            self, "TestCommand",
            description="Run after deploy: GET /api/task/2 through PrivateLink",
            value=f"aws lambda invoke --function-name {probe.lambda_function.function_name} --cli-binary-format raw-in-base64-out "
            "--payload '{\"path\":\"/api/task/2\"}' /dev/stdout",
        )


app = cdk.App()
provider = ProviderStack(
    app, "PrivateLinkDemo-Provider",
    description="cdk-ecs-privatelink demo: the API provider (Fargate, ALB, NLB, endpoint service, monitoring)",
)
ConsumerStack(
    app, "PrivateLinkDemo-Consumer",
    api=provider.api,
    description="cdk-ecs-privatelink demo: the API consumer (interface endpoint and a probe)",
)
app.synth()
