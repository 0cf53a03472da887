// The blog's demo topology in Go, built with cdk-ecs-privatelink: the same app as
// examples/demo (TypeScript), written the way a Go user writes it.
//
//	npx cdk synth          # no AWS account needed (runs `go run .`)
//	npx cdk deploy --all   # with one
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-ecs-privatelink/cdk-ecs-privatelink-go/cdkecsprivatelink"
)

// ProviderStack is the API provider: the task API on Fargate, offered through PrivateLink.
type ProviderStack struct {
	Stack awscdk.Stack
	Api   cdkecsprivatelink.EcsPrivateLinkApi
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
		// The demo's consumer is in this same account, so its endpoint is accepted
		// automatically; a real provider names its customers' accounts and keeps
		// AcceptanceRequired on.
		AllowedPrincipals:  jsii.Strings(*awscdk.Aws_ACCOUNT_ID()),
		AcceptanceRequired: jsii.Bool(false),
	})
	return ProviderStack{Stack: stack, Api: api}
}

// ConsumerStack is the customer: a VPC reaching the task API through an interface endpoint.
type ConsumerStack struct {
	Stack    awscdk.Stack
	Consumer cdkecsprivatelink.PrivateLinkConsumer
	Probe    awslambda.Function
}

// NewConsumerStack builds the consumer VPC, its endpoint to api, and the probe that calls it.
// A consumer in another app passes ServiceName instead of Api.
func NewConsumerStack(scope constructs.Construct, id string, props *awscdk.StackProps,
	api cdkecsprivatelink.IEcsPrivateLinkApi, probeCode string) ConsumerStack {
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
		AllowedPeers: &[]awsec2.IPeer{}, // only the probe, allowed in addProbe
	})
	probe := addProbe(stack, vpc, consumer, probeCode)
	return ConsumerStack{Stack: stack, Consumer: consumer, Probe: probe}
}

// addProbe adds what proves the path after deploy: instead of the blog's EC2 instance with an
// SSH key, a function in the consumer's private subnets that calls the API through the endpoint.
func addProbe(stack awscdk.Stack, vpc awsec2.Vpc, consumer cdkecsprivatelink.PrivateLinkConsumer, code string) awslambda.Function {
	probe := awslambda.NewFunction(stack, jsii.String("Probe"), &awslambda.FunctionProps{
		// The newest Node.js runtime (Runtime_NODEJS_24_X() in aws-cdk-go 2.2xx and later).
		Runtime:     awslambda.NewRuntime(jsii.String("nodejs24.x"), awslambda.RuntimeFamily_NODEJS, &awslambda.LambdaRuntimeProps{SupportsInlineCode: jsii.Bool(true)}),
		Handler:     jsii.String("index.handler"),
		Code:        awslambda.Code_FromInline(jsii.String(code)),
		Vpc:         vpc,
		VpcSubnets:  &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
		Timeout:     awscdk.Duration_Seconds(jsii.Number(15)),
		Environment: &map[string]*string{"API_URL": consumer.Url()},
		LogGroup: awslogs.NewLogGroup(stack, jsii.String("ProbeLogs"), &awslogs.LogGroupProps{
			Retention: awslogs.RetentionDays_ONE_WEEK,
		}),
		Description: jsii.String("Calls the task API through the PrivateLink endpoint"),
	})
	consumer.Connections().AllowDefaultPortFrom(probe, jsii.String("The probe calls the API"))

	// cdk-nag AwsSolutions-IAM4, acknowledged with the metadata cdk-nag reads (what its
	// NagSuppressions writes), so the demo doesn't depend on cdk-nag.
	probe.Role().Node().DefaultChild().(awsiam.CfnRole).AddMetadata(jsii.String("cdk_nag"), map[string]any{
		"rules_to_suppress": []any{map[string]any{
			"id":     "AwsSolutions-IAM4",
			"reason": "AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole are the minimal AWS managed policies of a function in a VPC",
			"applies_to": []string{
				"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
				"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
			},
		}},
	})

	awscdk.NewCfnOutput(stack, jsii.String("ProbeFunctionName"), &awscdk.CfnOutputProps{
		Description: jsii.String("The probe: a function in the consumer VPC that calls the API through PrivateLink"),
		Value:       probe.FunctionName(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("TestCommand"), &awscdk.CfnOutputProps{
		Description: jsii.String("Run after deploy: GET /api/task/2 through PrivateLink"),
		Value: jsii.String("aws lambda invoke --function-name " + *probe.FunctionName() +
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
	// The probe's handler is shared with the TypeScript demo (cdk runs this app in examples/go).
	probeCode, err := os.ReadFile(filepath.Join("..", "demo", "probe", "index.js"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "run the app from examples/go:", err)
		os.Exit(1)
	}

	defer jsii.Close()
	app := awscdk.NewApp(nil)
	provider := NewProviderStack(app, "PrivateLinkDemo-Provider", &awscdk.StackProps{
		Description: jsii.String("cdk-ecs-privatelink demo: the API provider (Fargate, ALB, NLB, endpoint service)"),
	})
	NewConsumerStack(app, "PrivateLinkDemo-Consumer", &awscdk.StackProps{
		Description: jsii.String("cdk-ecs-privatelink demo: the API consumer (interface endpoint and a probe function)"),
	}, provider.Api, string(probeCode))
	app.Synth(nil)
}
