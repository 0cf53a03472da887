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
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
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
	// (the tasks pull their image from Docker Hub); flow logs and every log group encrypted.
	logsKey := awskms.NewKey(stack, jsii.String("LogsKey"), &awskms.KeyProps{
		EnableKeyRotation: jsii.Bool(true),
		Description:       jsii.String("Logs of the demo provider"),
	})
	vpc := demoVpc(stack, "ProviderVpc", "10.0.0.0/16", 1, logsKey)

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
		// The demo's choices, made explicitly.
		Protocol:           awselasticloadbalancingv2.ApplicationProtocol_HTTP,
		AccessLogs:         jsii.Bool(false), // ALB access logs need a stack with a region
		DeletionProtection: jsii.Bool(false), // so that `cdk destroy` removes the demo
		LogsEncryptionKey:  logsKey,
	})
	cdkecsprivatelink.NagFindings_Acknowledge(api.LoadBalancer(), acknowledgements([]string{"NIST.800.53.R5", "PCI.DSS.321"},
		"ALBWAFEnabled", "The example's internal ALB is reachable only through PrivateLink, from the accounts it allows; "+
			"a web ACL (webAclArn) costs about 5 USD a month."))

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
	logsKey := awskms.NewKey(stack, jsii.String("LogsKey"), &awskms.KeyProps{
		EnableKeyRotation: jsii.Bool(true),
		Description:       jsii.String("Logs of the demo consumer"),
	})
	vpc := demoVpc(stack, "ConsumerVpc", "10.1.0.0/16", 0, logsKey)

	consumer := cdkecsprivatelink.NewPrivateLinkConsumer(stack, jsii.String("TaskApiEndpoint"), &cdkecsprivatelink.PrivateLinkConsumerProps{
		Vpc:          vpc,
		Api:          api,
		AllowedPeers: &[]awsec2.IPeer{}, // only the probe, which allows itself
	})
	probe := addProbe(stack, consumer, logsKey)
	return ConsumerStack{Stack: stack, Consumer: consumer, Probe: probe}
}

// addProbe adds what proves the path after deploy: instead of the blog's EC2 instance with an
// SSH key, a canary in the consumer's private subnets that calls the API through the endpoint
// every 5 minutes, publishes Success and Latency metrics, and alarms when the API is unreachable.
func addProbe(stack awscdk.Stack, consumer cdkecsprivatelink.PrivateLinkConsumer, logsKey awskms.IKey) cdkecsprivatelink.PrivateLinkProbe {
	probe := cdkecsprivatelink.NewPrivateLinkProbe(stack, jsii.String("Probe"), &cdkecsprivatelink.PrivateLinkProbeProps{
		Consumer:          consumer,
		Paths:             jsii.Strings("/api/tasks", "/api/task/2"),
		LogsEncryptionKey: logsKey,
	})

	awscdk.NewCfnOutput(stack, jsii.String("ProbeFunctionName"), &awscdk.CfnOutputProps{
		Description: jsii.String("The probe: a function in the consumer VPC that calls the API through PrivateLink"),
		Value:       probe.LambdaFunction().FunctionName(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("ProbeAlarmTopicArn"), &awscdk.CfnOutputProps{
		Description: jsii.String("The probe's alarm goes here: aws sns subscribe --protocol email " +
			"--notification-endpoint <you> --topic-arn <this>"),
		Value: probe.AlarmTopic().TopicArn(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("TestCommand"), &awscdk.CfnOutputProps{
		Description: jsii.String("Run after deploy: GET /api/task/2 through PrivateLink"),
		Value: jsii.String("aws lambda invoke --function-name " + *probe.LambdaFunction().FunctionName() +
			` --cli-binary-format raw-in-base64-out --payload '{"path":"/api/task/2"}' /dev/stdout`),
	})
	return probe
}

var packsWithVpcRules = []string{"NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"}

// demoVpc builds two AZs: public subnets that only hold the NAT gateways (no public IPs on
// launch) and private ones, or isolated subnets without NAT; flow logs to an encrypted log group,
// kept one week. The compliance findings that are this design are acknowledged on exactly their
// resources.
func demoVpc(scope constructs.Construct, id string, cidr string, natGateways float64, logsKey awskms.IKey) awsec2.Vpc {
	subnets := []*awsec2.SubnetConfiguration{
		{Name: jsii.String("private"), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
	}
	if natGateways > 0 {
		subnets = []*awsec2.SubnetConfiguration{
			{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC, MapPublicIpOnLaunch: jsii.Bool(false)},
			{Name: jsii.String("Private"), SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS},
		}
	}
	vpc := awsec2.NewVpc(scope, jsii.String(id), &awsec2.VpcProps{
		IpAddresses:                  awsec2.IpAddresses_Cidr(jsii.String(cidr)),
		MaxAzs:                       jsii.Number(2),
		NatGateways:                  jsii.Number(natGateways),
		SubnetConfiguration:          &subnets,
		RestrictDefaultSecurityGroup: jsii.Bool(true),
	})
	flowLog := vpc.AddFlowLog(jsii.String("FlowLog"), &awsec2.FlowLogOptions{
		Destination: awsec2.FlowLogDestination_ToCloudWatchLogs(awslogs.NewLogGroup(vpc, jsii.String("FlowLogs"), &awslogs.LogGroupProps{
			Retention:     awslogs.RetentionDays_ONE_WEEK,
			EncryptionKey: logsKey,
		}), nil),
	})
	for _, subnet := range *vpc.PublicSubnets() {
		cdkecsprivatelink.NagFindings_Acknowledge(subnet.Node().FindChild(jsii.String("DefaultRoute")), acknowledgements(packsWithVpcRules,
			"VPCNoUnrestrictedRouteToIGW", "The public subnets hold only the NAT gateway the tasks pull their images through."))
	}
	cdkecsprivatelink.NagFindings_Acknowledge(flowLog.Node().FindChild(jsii.String("IAMRole")), acknowledgements(packsWithVpcRules,
		"IAMNoInlinePolicy", "aws-cdk-lib writes the flow log role's grant (its log group) as the role's own policy."))
	return vpc
}

// acknowledgements acknowledges the same rule of several packs for one reason.
func acknowledgements(packs []string, rule string, reason string) *[]*cdkecsprivatelink.NagFindingAcknowledgement {
	result := []*cdkecsprivatelink.NagFindingAcknowledgement{}
	for _, pack := range packs {
		result = append(result, &cdkecsprivatelink.NagFindingAcknowledgement{Id: jsii.String(pack + "-" + rule), Reason: jsii.String(reason)})
	}
	return &result
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
