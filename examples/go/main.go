// The blog's demo topology in Go, built with cdk-ecs-privatelink: the same app as
// examples/demo (TypeScript), written the way a Go user writes it.
//
//	npx cdk synth          # no AWS account needed (runs `go run .`)
//	npx cdk deploy --all   # with one
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-ecs-privatelink/cdk-ecs-privatelink-go/cdkecsprivatelink"
)

// ProviderStack is the API provider: the task API on Fargate, offered through PrivateLink.
type ProviderStack struct {
	Stack      awscdk.Stack
	Api        cdkecsprivatelink.EcsPrivateLinkApi
	Monitoring cdkecsprivatelink.EcsPrivateLinkApiMonitoring
}

// NewProviderStack builds the provider VPC and the task API behind its endpoint service.
func NewProviderStack(scope constructs.Construct, id string, props *awscdk.StackProps) ProviderStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	// Like the blog's network module: 2 AZs, public + private subnets, 1 NAT gateway
	// (the tasks pull their image from Docker Hub).
	vpc := awsec2.NewVpc(stack, jsii.String("ProviderVpc"), &awsec2.VpcProps{
		IpAddresses: awsec2.IpAddresses_Cidr(jsii.String("10.0.0.0/16")),
		MaxAzs:      jsii.Number(2),
		NatGateways: jsii.Number(1),
	})
	addFlowLog(vpc)

	api := cdkecsprivatelink.NewEcsPrivateLinkApi(stack, jsii.String("TaskApi"), &cdkecsprivatelink.EcsPrivateLinkApiProps{
		Vpc:              vpc,
		Image:            awsecs.ContainerImage_FromRegistry(jsii.String("lvthillo/python-flask-api"), nil),
		ContainerPort:    jsii.Number(8080),
		DesiredCount:     jsii.Number(2),
		Cpu:              jsii.Number(256),
		MemoryLimitMiB:   jsii.Number(512),
		Port:             jsii.Number(80),   // the NLB listener: what consumers connect to
		LoadBalancerPort: jsii.Number(8888), // the ALB listener, as in the blog
		// The API answers 404 on /.
		HealthCheck: &cdkecsprivatelink.ApiHealthCheck{Path: jsii.String("/api/tasks")},
		// The demo's consumer is in this same account. Connections still need acceptance
		// (AcceptanceRequired stays on); this account's are accepted automatically.
		AllowedPrincipals:  jsii.Strings(*awscdk.Aws_ACCOUNT_ID()),
		AutoAcceptAccounts: jsii.Strings(*awscdk.Aws_ACCOUNT_ID()),
	})

	// Alarms over the whole chain (to a new encrypted topic) and a dashboard.
	monitoring := cdkecsprivatelink.NewEcsPrivateLinkApiMonitoring(stack, jsii.String("Monitoring"), &cdkecsprivatelink.EcsPrivateLinkApiMonitoringProps{
		Api: api,
	})
	awscdk.NewCfnOutput(stack, jsii.String("AlarmTopicArn"), &awscdk.CfnOutputProps{
		Description: jsii.String("Alarms of the chain go here: aws sns subscribe --protocol email " +
			"--notification-endpoint <you> --topic-arn <this>"),
		Value: monitoring.AlarmTopic().TopicArn(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("DashboardName"), &awscdk.CfnOutputProps{
		Description: jsii.String("The CloudWatch dashboard of the chain"),
		Value:       monitoring.Dashboard().DashboardName(),
	})
	return ProviderStack{Stack: stack, Api: api, Monitoring: monitoring}
}

// ConsumerStack is the customer: a VPC reaching the task API through an interface endpoint.
type ConsumerStack struct {
	Stack    awscdk.Stack
	Consumer cdkecsprivatelink.PrivateLinkConsumer
	Probe    cdkecsprivatelink.PrivateLinkProbe
}

// NewConsumerStack builds the consumer VPC, its endpoint to api, and the probe that calls it.
// A consumer in another app passes ServiceName instead of Api.
func NewConsumerStack(scope constructs.Construct, id string, props *awscdk.StackProps,
	api cdkecsprivatelink.IEcsPrivateLinkApi) ConsumerStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	// The consumer needs no NAT gateway: PrivateLink traffic stays inside AWS.
	vpc := awsec2.NewVpc(stack, jsii.String("ConsumerVpc"), &awsec2.VpcProps{
		IpAddresses: awsec2.IpAddresses_Cidr(jsii.String("10.1.0.0/16")),
		MaxAzs:      jsii.Number(2),
		NatGateways: jsii.Number(0),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("private"), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
		},
	})
	addFlowLog(vpc)

	consumer := cdkecsprivatelink.NewPrivateLinkConsumer(stack, jsii.String("TaskApiEndpoint"), &cdkecsprivatelink.PrivateLinkConsumerProps{
		Vpc:          vpc,
		Api:          api,
		AllowedPeers: &[]awsec2.IPeer{}, // only the probe, which allows itself
	})
	probe := addProbe(stack, consumer)
	return ConsumerStack{Stack: stack, Consumer: consumer, Probe: probe}
}

// addProbe adds what proves the path after deploy: instead of the blog's EC2 instance with an
// SSH key, a canary in the consumer's private subnets that calls the API through the endpoint
// every 5 minutes, publishes Success and Latency metrics, and alarms when the API is unreachable.
func addProbe(stack awscdk.Stack, consumer cdkecsprivatelink.PrivateLinkConsumer) cdkecsprivatelink.PrivateLinkProbe {
	probe := cdkecsprivatelink.NewPrivateLinkProbe(stack, jsii.String("Probe"), &cdkecsprivatelink.PrivateLinkProbeProps{
		Consumer: consumer,
		Paths:    jsii.Strings("/api/tasks", "/api/task/2"),
	})

	awscdk.NewCfnOutput(stack, jsii.String("ProbeFunctionName"), &awscdk.CfnOutputProps{
		Description: jsii.String("The probe: a function in the consumer VPC that calls the API through PrivateLink"),
		Value:       probe.LambdaFunction().FunctionName(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("TestCommand"), &awscdk.CfnOutputProps{
		Description: jsii.String("Run after deploy: GET /api/task/2 through PrivateLink"),
		Value: jsii.String("aws lambda invoke --function-name " + *probe.LambdaFunction().FunctionName() +
			` --cli-binary-format raw-in-base64-out --payload '{"path":"/api/task/2"}' /dev/stdout`),
	})
	return probe
}

// addFlowLog sends the VPC's flow logs to CloudWatch Logs, kept one week.
func addFlowLog(vpc awsec2.Vpc) {
	vpc.AddFlowLog(jsii.String("FlowLog"), &awsec2.FlowLogOptions{
		Destination: awsec2.FlowLogDestination_ToCloudWatchLogs(awslogs.NewLogGroup(vpc, jsii.String("FlowLogs"), &awslogs.LogGroupProps{
			Retention: awslogs.RetentionDays_ONE_WEEK,
		}), nil),
	})
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	provider := NewProviderStack(app, "PrivateLinkDemo-Provider", &awscdk.StackProps{
		Description: jsii.String("cdk-ecs-privatelink demo: the API provider (Fargate, ALB, NLB, endpoint service, monitoring)"),
	})
	NewConsumerStack(app, "PrivateLinkDemo-Consumer", &awscdk.StackProps{
		Description: jsii.String("cdk-ecs-privatelink demo: the API consumer (interface endpoint and a probe)"),
	}, provider.Api)
	app.Synth(nil)
}
