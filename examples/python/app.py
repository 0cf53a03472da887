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
from aws_cdk import aws_logs as logs
from cdk_ecs_privatelink import (
    ApiHealthCheck,
    EcsPrivateLinkApi,
    EcsPrivateLinkApiMonitoring,
    PrivateLinkConsumer,
    PrivateLinkProbe,
)
from constructs import Construct


def add_flow_log(vpc: ec2.Vpc) -> None:
    """VPC flow logs to CloudWatch Logs, kept one week."""
    vpc.add_flow_log(
        "FlowLog",
        destination=ec2.FlowLogDestination.to_cloud_watch_logs(
            logs.LogGroup(vpc, "FlowLogs", retention=logs.RetentionDays.ONE_WEEK)
        ),
    )


class ProviderStack(cdk.Stack):
    """The API provider: the task API on Fargate, offered through PrivateLink."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        vpc = ec2.Vpc(
            self, "ProviderVpc",
            ip_addresses=ec2.IpAddresses.cidr("10.0.0.0/16"),
            max_azs=2,
            nat_gateways=1,
        )
        add_flow_log(vpc)

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
        )

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

        vpc = ec2.Vpc(
            self, "ConsumerVpc",
            ip_addresses=ec2.IpAddresses.cidr("10.1.0.0/16"),
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ],
        )
        add_flow_log(vpc)

        consumer = PrivateLinkConsumer(self, "TaskApiEndpoint", vpc=vpc, api=api, allowed_peers=[])

        # A canary in the consumer's private subnets: calls the API through the endpoint every
        # 5 minutes, publishes Success and Latency metrics, alarms when the API is unreachable.
        probe = PrivateLinkProbe(self, "Probe", consumer=consumer, paths=["/api/tasks", "/api/task/2"])

        cdk.CfnOutput(
            self, "ProbeFunctionName",
            description="The probe: a function in the consumer VPC that calls the API through PrivateLink",
            value=probe.lambda_function.function_name,
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
