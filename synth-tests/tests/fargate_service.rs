//! FargateService: secure defaults, least-privilege roles, shared clusters, and bad input
//! reported with a stable code and the construct path.

use constructs::cfn::secretsmanager::Secret;
use constructs::fargate::{
    AccessLogs, AlbListener, AlbPlacement, AlbProps, AutoScaling, Container, ContainerHealthCheck,
    ContainerImage, DatabaseAccess, FargateCluster, FargateService, FargateServiceProps,
    FargateSize, GiB, ScalingMetric, SecretSource, TargetHealthCheck,
};
use constructs::iam::{check_template, presets};
use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::{App, Code, Env, Stack};
use serde_json::{json, Value as Json};

const CERT: &str = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d";

/// A VPC in one stack (`Net`) and whatever `build` adds in another (`Svc`); the `Svc` template.
fn synth(build: impl FnOnce(&mut Stack, &VpcThreeTier)) -> Json {
    let mut app = App::new();
    let mut net = Stack::new("Net");
    let network = VpcThreeTier::new(&mut net, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    let mut svc = Stack::new("Svc");
    build(&mut svc, &network);
    app.add_stack(net);
    app.add_stack(svc);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&assembly.stack("Svc").unwrap().json).unwrap()
}

fn https(network: &VpcThreeTier) -> AlbProps {
    AlbProps::new(
        AlbPlacement::InternetFacing(network.public_subnets().clone()),
        AlbListener::https(CERT),
    )
}

fn props(network: &VpcThreeTier, container: Container) -> FargateServiceProps {
    FargateServiceProps::new(
        network.vpc(),
        network.app_subnets(),
        https(network),
        container,
    )
}

fn public_image() -> Container {
    Container::new(
        "web",
        ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
        8080,
    )
}

use synth_tests::resources_of_type as of_type;

/// Every (action, resource) of a role's inline policy.
fn role_permissions(t: &Json, role: &str) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    let Some(policies) = t["Resources"][role]["Properties"]["Policies"].as_array() else {
        return out;
    };
    for policy in policies {
        for statement in policy["PolicyDocument"]["Statement"].as_array().unwrap() {
            for action in statement["Action"].as_array().unwrap() {
                for resource in statement["Resource"].as_array().unwrap() {
                    out.push((action.as_str().unwrap().to_owned(), resource.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn defaults_are_secure() {
    let t = synth(|stack, network| {
        FargateService::new(stack, "Web", props(network, public_image()));
    });
    let service = &t["Resources"]["WebService"]["Properties"];
    // Auto scaling is on by default: the count is its, never reset by a deploy.
    assert!(service.get("DesiredCount").is_none(), "{service:#}");
    assert_eq!(service["LaunchType"], "FARGATE");
    assert_eq!(
        service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"],
        "DISABLED"
    );
    assert_eq!(
        service["DeploymentConfiguration"],
        json!({"DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
               "MaximumPercent": 200, "MinimumHealthyPercent": 100})
    );
    assert_eq!(service["EnableExecuteCommand"], false);
    assert_eq!(service["PropagateTags"], "SERVICE");
    assert_eq!(service["HealthCheckGracePeriodSeconds"], 60);
    assert_eq!(
        service["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"][0],
        json!({"Fn::ImportValue": "Net:NetworkAppSubnet1"})
    );
    assert_eq!(
        t["Resources"]["WebService"]["DependsOn"],
        json!(["WebHttpsListener"])
    );

    let cluster = &t["Resources"]["WebCluster"]["Properties"];
    assert_eq!(
        cluster["ClusterSettings"],
        json!([{"Name": "containerInsights", "Value": "enabled"}])
    );

    let task = &t["Resources"]["WebTaskDefinition"]["Properties"];
    assert_eq!(task["NetworkMode"], "awsvpc");
    assert_eq!(task["RequiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!(
        (task["Cpu"].as_str(), task["Memory"].as_str()),
        (Some("256"), Some("512"))
    );
    let container = &task["ContainerDefinitions"][0];
    assert_eq!(container["ReadonlyRootFilesystem"], true);
    assert_eq!(container["LogConfiguration"]["LogDriver"], "awslogs");
    assert_eq!(
        container["LogConfiguration"]["Options"]["awslogs-group"],
        json!({"Ref": "WebLogGroup"})
    );
    assert_eq!(
        t["Resources"]["WebLogGroup"]["Properties"]["RetentionInDays"],
        30
    );

    // HTTPS with a modern policy; HTTP only redirects.
    let https = &t["Resources"]["WebHttpsListener"]["Properties"];
    assert_eq!(https["Protocol"], "HTTPS");
    assert_eq!(https["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert_eq!(https["Certificates"], json!([{"CertificateArn": CERT}]));
    let redirect = &t["Resources"]["WebHttpRedirectListener"]["Properties"];
    assert_eq!(redirect["Port"], 80);
    assert_eq!(redirect["DefaultActions"][0]["Type"], "redirect");
    assert_eq!(
        redirect["DefaultActions"][0]["RedirectConfig"],
        json!({"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"})
    );
    assert_eq!(
        of_type(&t, "AWS::ElasticLoadBalancingV2::Listener").len(),
        2
    );

    let alb = &t["Resources"]["WebLoadBalancer"]["Properties"];
    assert_eq!(alb["Scheme"], "internet-facing");
    let attributes = alb["LoadBalancerAttributes"].as_array().unwrap();
    assert!(attributes.contains(
        &json!({"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"})
    ));
    let tg = &t["Resources"]["WebTargetGroup"]["Properties"];
    assert_eq!(tg["TargetType"], "ip");
    assert_eq!(tg["HealthCheckPath"], "/");

    // The ALB admits 443 and 80 (to redirect) only; the service admits the ALB only.
    let alb_sg = &t["Resources"]["WebLoadBalancerSecurityGroup"]["Properties"];
    let ports: Vec<i64> = alb_sg["SecurityGroupIngress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["FromPort"].as_i64().unwrap())
        .collect();
    assert_eq!(ports, [443, 80]);
    let service_sg = &t["Resources"]["WebServiceSecurityGroup"]["Properties"];
    assert!(service_sg.get("SecurityGroupIngress").is_none());
    assert_eq!(
        service_sg["SecurityGroupEgress"],
        json!([{"CidrIp": "0.0.0.0/0", "Description": "HTTPS to AWS APIs and the internet",
                "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}])
    );
    let ingress = &t["Resources"]["WebServiceFromLoadBalancerIngress"]["Properties"];
    assert_eq!(
        ingress["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["WebLoadBalancerSecurityGroup", "GroupId"]})
    );
    assert_eq!(ingress["FromPort"], 8080);
    assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupIngress").len(), 1);

    // Default scaling: CPU at 70%, 2–4 tasks, through the service-linked role.
    let target = &t["Resources"]["WebScalableTarget"]["Properties"];
    assert_eq!(
        (
            target["MinCapacity"].as_i64(),
            target["MaxCapacity"].as_i64()
        ),
        (Some(2), Some(4))
    );
    assert!(target.get("RoleARN").is_none());
    let cpu = &t["Resources"]["WebCpuScalingPolicy"]["Properties"]
        ["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(cpu["TargetValue"], 70.0);
    assert_eq!(
        cpu["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageCPUUtilization"
    );

    let outputs: Vec<&String> = t["Outputs"].as_object().unwrap().keys().collect();
    for id in ["WebLoadBalancerDnsName", "WebServiceName", "WebClusterName"] {
        assert!(outputs.contains(&&id.to_owned()), "{outputs:?}");
    }
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

#[test]
fn roles_trust_only_ecs_tasks_of_this_account() {
    let t = synth(|stack, network| {
        FargateService::new(stack, "Web", props(network, public_image()));
    });
    let trust = &t["Resources"]["WebExecutionRole"]["Properties"]["AssumeRolePolicyDocument"]
        ["Statement"][0];
    assert_eq!(
        trust["Principal"],
        json!({"Service": ["ecs-tasks.amazonaws.com"]})
    );
    assert_eq!(
        trust["Condition"]["StringEquals"]["aws:SourceAccount"],
        json!([{"Ref": "AWS::AccountId"}])
    );
    assert_eq!(
        trust["Condition"]["ArnLike"]["aws:SourceArn"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"}])
    );
}

#[test]
fn a_non_ecr_image_gets_no_ecr_permissions_and_an_empty_task_role_without_grants() {
    let t = synth(|stack, network| {
        FargateService::new(stack, "Web", props(network, public_image()));
    });
    let permissions = role_permissions(&t, "WebExecutionRole");
    assert!(
        permissions.iter().all(|(a, _)| !a.starts_with("ecr:")),
        "{permissions:?}"
    );
    assert_eq!(
        permissions,
        [
            (
                "logs:CreateLogStream".to_owned(),
                json!({"Fn::GetAtt": ["WebLogGroup", "Arn"]})
            ),
            (
                "logs:PutLogEvents".to_owned(),
                json!({"Fn::GetAtt": ["WebLogGroup", "Arn"]})
            ),
        ]
    );
    // The task role is there for grants after construction (`Stack::grant`), and holds
    // nothing until then.
    assert!(t["Resources"]["WebTaskRole"]["Properties"]
        .get("Policies")
        .is_none());
    assert_eq!(
        t["Resources"]["WebTaskDefinition"]["Properties"]["TaskRoleArn"],
        json!({"Fn::GetAtt": ["WebTaskRole", "Arn"]})
    );
    assert_eq!(of_type(&t, "AWS::IAM::Role").len(), 2);
}

#[test]
fn an_ecr_image_may_be_pulled_from_its_repository_only() {
    let t = synth(|stack, network| {
        let container = Container::new("web", ContainerImage::ecr("team/web", "1.4.2"), 8080);
        FargateService::new(stack, "Web", props(network, container));
    });
    let image =
        &t["Resources"]["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"];
    assert_eq!(
        image,
        &json!({"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/team/web:1.4.2"})
    );
    let repo = json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/team/web"});
    let ecr: Vec<(String, Json)> = role_permissions(&t, "WebExecutionRole")
        .into_iter()
        .filter(|(a, _)| a.starts_with("ecr:"))
        .collect();
    assert_eq!(
        ecr,
        [
            ("ecr:GetAuthorizationToken".to_owned(), json!("*")),
            ("ecr:BatchGetImage".to_owned(), repo.clone()),
            ("ecr:GetDownloadUrlForLayer".to_owned(), repo),
        ]
    );
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

#[test]
fn the_execution_role_reads_exactly_the_secrets_used() {
    let t = synth(|stack, network| {
        let used = stack.add("UsedSecret", Secret::new().description("used"));
        stack.add("UnusedSecret", Secret::new().description("not used"));
        let container = public_image()
            .secret(
                "DB_USER",
                SecretSource::secrets_manager(&used).json_key("username"),
            )
            .secret(
                "DB_PASSWORD",
                SecretSource::secrets_manager(&used).json_key("password"),
            )
            .secret("API_KEY", SecretSource::ssm_parameter("/web/api-key"));
        FargateService::new(stack, "Web", props(network, container));
    });
    let permissions = role_permissions(&t, "WebExecutionRole");
    let secrets: Vec<&Json> = permissions
        .iter()
        .filter(|(a, _)| a == "secretsmanager:GetSecretValue")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(secrets, [&json!({"Ref": "UsedSecret"})]);
    let parameters: Vec<&Json> = permissions
        .iter()
        .filter(|(a, _)| a == "ssm:GetParameters")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(
        parameters,
        [
            &json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/web/api-key"})
        ]
    );
    let injected =
        &t["Resources"]["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Secrets"];
    assert_eq!(
        injected[1],
        json!({"Name": "DB_PASSWORD", "ValueFrom": {"Fn::Join": ["", [{"Ref": "UsedSecret"}, ":password::"]]}})
    );
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

#[test]
fn the_task_role_holds_only_the_applications_grants() {
    let t = synth(|stack, network| {
        let secret = stack.add("AppSecret", Secret::new().description("read by the app"));
        FargateService::new(
            stack,
            "Web",
            props(network, public_image()).grant(presets::secretsmanager::read(&secret)),
        );
    });
    assert_eq!(
        role_permissions(&t, "WebTaskRole"),
        [(
            "secretsmanager:GetSecretValue".to_owned(),
            json!({"Ref": "AppSecret"})
        )]
    );
    assert_eq!(
        t["Resources"]["WebTaskDefinition"]["Properties"]["TaskRoleArn"],
        json!({"Fn::GetAtt": ["WebTaskRole", "Arn"]})
    );
    // The execution role does not get the application's grant.
    assert!(role_permissions(&t, "WebExecutionRole")
        .iter()
        .all(|(a, _)| !a.starts_with("secretsmanager:")));
}

#[test]
fn services_share_a_cluster_and_internal_albs_sit_in_app_subnets() {
    let t = synth(|stack, network| {
        let cluster = FargateCluster::new(stack, "Shared");
        for id in ["Api", "Admin"] {
            let alb = AlbProps::new(
                AlbPlacement::Internal(network.app_subnets().clone()),
                AlbListener::https(CERT),
            )
            .ingress_cidrs(["10.0.0.0/16"]);
            FargateService::new(
                stack,
                id,
                FargateServiceProps::new(network.vpc(), network.app_subnets(), alb, public_image())
                    .cluster(cluster.handle()),
            );
        }
    });
    assert_eq!(of_type(&t, "AWS::ECS::Cluster").len(), 1);
    for id in ["ApiService", "AdminService"] {
        assert_eq!(
            t["Resources"][id]["Properties"]["Cluster"],
            json!({"Ref": "SharedCluster"})
        );
    }
    let alb = &t["Resources"]["ApiLoadBalancer"]["Properties"];
    assert_eq!(alb["Scheme"], "internal");
    assert_eq!(
        alb["Subnets"][0],
        json!({"Fn::ImportValue": "Net:NetworkAppSubnet1"})
    );
    let ingress =
        &t["Resources"]["ApiLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"];
    assert!(ingress
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["CidrIp"] == "10.0.0.0/16"));
}

#[test]
fn plain_http_is_explicit_and_opens_port_80_only() {
    let t = synth(|stack, network| {
        let alb = AlbProps::new(
            AlbPlacement::InternetFacing(network.public_subnets().clone()),
            AlbListener::plain_http(),
        );
        FargateService::new(
            stack,
            "Web",
            FargateServiceProps::new(network.vpc(), network.app_subnets(), alb, public_image()),
        );
    });
    let listeners = of_type(&t, "AWS::ElasticLoadBalancingV2::Listener");
    assert_eq!(listeners.len(), 1);
    assert_eq!(listeners[0].1["Properties"]["Protocol"], "HTTP");
    let ingress =
        &t["Resources"]["WebLoadBalancerSecurityGroup"]["Properties"]["SecurityGroupIngress"];
    assert_eq!(ingress.as_array().unwrap().len(), 1);
    assert_eq!(ingress[0]["FromPort"], 80);
}

#[test]
fn access_logs_database_and_scaling_options() {
    let t = synth(|stack, network| {
        let alb = https(network)
            .access_logs(AccessLogs::new().prefix("edge/web"))
            .deletion_protection();
        FargateService::new(
            stack,
            "Web",
            FargateServiceProps::new(network.vpc(), network.app_subnets(), alb, public_image())
                .size(FargateSize::two_vcpu(GiB::<8>))
                .auto_scaling(Some(
                    AutoScaling::new(1, 8)
                        .metric(ScalingMetric::Memory(60.0))
                        .metric(ScalingMetric::RequestsPerTarget(500)),
                ))
                .database(DatabaseAccess::new(
                    &network.security_groups().database,
                    5432,
                )),
        );
    });
    let task = &t["Resources"]["WebTaskDefinition"]["Properties"];
    assert_eq!(
        (task["Cpu"].as_str(), task["Memory"].as_str()),
        (Some("2048"), Some("8192"))
    );

    let policy = &t["Resources"]["WebAccessLogBucketPolicy"]["Properties"]["PolicyDocument"];
    assert_eq!(policy["Statement"][0]["Effect"], "Deny");
    // The stack's Region is not pinned: which principal writes is chosen at deploy time.
    let write = &policy["Statement"][1]["Fn::If"][2];
    assert_eq!(
        write["Principal"],
        json!({"Service": ["logdelivery.elasticloadbalancing.amazonaws.com"]})
    );
    assert_eq!(write["Action"], json!(["s3:PutObject"]));
    assert_eq!(
        write["Resource"][0]["Fn::Sub"][0],
        "${Arn}/edge/web/AWSLogs/${AWS::AccountId}/*"
    );
    assert_eq!(
        write["Condition"]["StringEquals"]["aws:SourceAccount"],
        json!([{"Ref": "AWS::AccountId"}])
    );
    let lb = &t["Resources"]["WebLoadBalancer"];
    assert_eq!(lb["DependsOn"], json!(["WebAccessLogBucketPolicy"]));
    let attributes = lb["Properties"]["LoadBalancerAttributes"]
        .as_array()
        .unwrap();
    assert!(attributes.contains(&json!({"Key": "deletion_protection.enabled", "Value": "true"})));
    assert!(attributes.contains(&json!({"Key": "access_logs.s3.prefix", "Value": "edge/web"})));

    let egress = &t["Resources"]["WebServiceToDatabase1Egress"]["Properties"];
    assert_eq!(
        egress["DestinationSecurityGroupId"],
        json!({"Fn::ImportValue": "Net:NetworkDatabaseSecurityGroup:GroupId"})
    );
    assert_eq!(egress["FromPort"], 5432);
    let ingress = &t["Resources"]["WebDatabase1FromServiceIngress"]["Properties"];
    assert_eq!(
        ingress["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]})
    );

    assert!(t["Resources"].get("WebCpuScalingPolicy").is_none());
    let requests = &t["Resources"]["WebRequestsScalingPolicy"]["Properties"]
        ["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"];
    assert_eq!(requests["PredefinedMetricType"], "ALBRequestCountPerTarget");
    assert_eq!(
        requests["ResourceLabel"],
        json!({"Fn::Join": ["/", [
            {"Fn::GetAtt": ["WebLoadBalancer", "LoadBalancerFullName"]},
            {"Fn::GetAtt": ["WebTargetGroup", "TargetGroupFullName"]}
        ]]})
    );
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));

    let fixed = synth(|stack, network| {
        FargateService::new(
            stack,
            "Web",
            props(network, public_image()).auto_scaling(None),
        );
    });
    assert!(of_type(&fixed, "AWS::ApplicationAutoScaling::ScalableTarget").is_empty());
    assert_eq!(
        fixed["Resources"]["WebService"]["Properties"]["DesiredCount"],
        2
    );
}

/// The `Svc` template of a service with access logs whose stack is pinned to `region` (or not).
fn with_access_logs(region: Option<&str>) -> Json {
    let mut app = App::new();
    let mut net = Stack::new("Net");
    let network = VpcThreeTier::new(&mut net, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    let mut svc = Stack::new("Svc").env(Env {
        account: None,
        region: region.map(str::to_owned),
    });
    let alb = https(&network).access_logs(AccessLogs::new());
    FargateService::new(
        &mut svc,
        "Web",
        FargateServiceProps::new(network.vpc(), network.app_subnets(), alb, public_image()),
    );
    app.add_stack(net);
    app.add_stack(svc);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let t: Json = serde_json::from_str(&assembly.stack("Svc").unwrap().json).unwrap();
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
    t
}

/// The statements of the access-log bucket policy, its TLS-only deny left out.
fn log_writers(t: &Json) -> Vec<Json> {
    let policy = &t["Resources"]["WebAccessLogBucketPolicy"]["Properties"]["PolicyDocument"];
    (policy["Statement"].as_array().unwrap().iter())
        .filter(|s| s["Effect"] != "Deny")
        .cloned()
        .collect()
}

#[test]
fn access_logs_are_written_by_the_principal_of_the_stacks_region() {
    // A Region open before August 2022: its Elastic Load Balancing account, as AWS lists it.
    let t = with_access_logs(Some("us-east-1"));
    let writers = log_writers(&t);
    assert_eq!(writers.len(), 1);
    assert_eq!(
        writers[0]["Principal"],
        json!({"AWS": ["arn:aws:iam::127311923021:root"]})
    );
    assert_eq!(writers[0]["Action"], json!(["s3:PutObject"]));
    assert_eq!(
        writers[0]["Resource"][0]["Fn::Sub"][0],
        "${Arn}/alb/AWSLogs/${AWS::AccountId}/*"
    );
    assert!(writers[0].get("Condition").is_none());
    assert!(t.get("Mappings").is_none() && t.get("Conditions").is_none());
    let gov = log_writers(&with_access_logs(Some("us-gov-west-1")));
    assert_eq!(
        gov[0]["Principal"],
        json!({"AWS": ["arn:aws-us-gov:iam::048591011584:root"]})
    );

    // A Region opened since (Melbourne, 2023): the log-delivery service, for this account only.
    let t = with_access_logs(Some("ap-southeast-4"));
    let writers = log_writers(&t);
    assert_eq!(writers.len(), 1);
    assert_eq!(
        writers[0]["Principal"],
        json!({"Service": ["logdelivery.elasticloadbalancing.amazonaws.com"]})
    );
    assert_eq!(
        writers[0]["Condition"]["StringEquals"]["aws:SourceAccount"],
        json!([{"Ref": "AWS::AccountId"}])
    );
    assert!(t.get("Mappings").is_none() && t.get("Conditions").is_none());

    // Not pinned: the Region's account where it has one, the service elsewhere, chosen when the
    // stack is deployed; still one bucket policy.
    let t = with_access_logs(None);
    assert_eq!(of_type(&t, "AWS::S3::BucketPolicy").len(), 1);
    let writers = log_writers(&t);
    assert_eq!(writers.len(), 1);
    let choice = writers[0]["Fn::If"].as_array().unwrap();
    assert_eq!(choice[0], "WebAccessLogInElbAccountRegion");
    assert_eq!(
        choice[1]["Principal"]["AWS"][0],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:iam::${ElbAccount}:root", {
            "ElbAccount": {"Fn::FindInMap": ["WebAccessLogElbAccounts", {"Ref": "AWS::Region"}, "AccountId"]}
        }]})
    );
    assert!(choice[1].get("Condition").is_none());
    assert_eq!(
        choice[2]["Principal"],
        json!({"Service": ["logdelivery.elasticloadbalancing.amazonaws.com"]})
    );
    assert_eq!(choice[1]["Resource"], choice[2]["Resource"]);
    let accounts = &t["Mappings"]["WebAccessLogElbAccounts"];
    assert_eq!(accounts["us-east-1"]["AccountId"], "127311923021");
    assert_eq!(accounts["eu-west-1"]["AccountId"], "156460612806");
    // `Fn::FindInMap` fails the deploy on a missing key even in the branch `Fn::If` does not
    // take: every Region a stack may be pinned to has a row, the newer ones a non-account.
    assert_eq!(accounts["ap-southeast-4"]["AccountId"], "none");
    let rows: Vec<&String> = accounts.as_object().unwrap().keys().collect();
    assert_eq!(rows, constructs::region::KNOWN_REGIONS);
    // The condition holds in exactly the Regions with an ELB account.
    let condition = t["Conditions"]["WebAccessLogInElbAccountRegion"].to_string();
    for (region, account) in constructs::fargate::ELB_ACCOUNTS {
        assert_eq!(accounts[*region]["AccountId"], *account);
        assert!(condition.contains(&format!("\"{region}\"")), "{region}");
    }
    assert_eq!(
        condition.matches("Fn::Equals").count(),
        constructs::fargate::ELB_ACCOUNTS.len()
    );
}

#[test]
fn auto_scaling_owns_the_task_count() {
    // A count inside the bounds is accepted and still not written: writing it would reset a
    // scaled-out service to it on every deploy.
    let t = synth(|stack, network| {
        FargateService::new(
            stack,
            "Web",
            props(network, public_image())
                .desired_count(3)
                .auto_scaling(Some(AutoScaling::new(2, 6))),
        );
    });
    let service = &t["Resources"]["WebService"]["Properties"];
    assert!(service.get("DesiredCount").is_none(), "{service:#}");
    let (_, target) = of_type(&t, "AWS::ApplicationAutoScaling::ScalableTarget")[0];
    assert_eq!(target["Properties"]["MinCapacity"], 2);

    // Without auto scaling the count is written as given.
    let fixed = synth(|stack, network| {
        FargateService::new(
            stack,
            "Web",
            props(network, public_image())
                .desired_count(3)
                .auto_scaling(None),
        );
    });
    assert_eq!(
        fixed["Resources"]["WebService"]["Properties"]["DesiredCount"],
        3
    );

    // A count outside the bounds is refused.
    for count in [1, 7] {
        assert_reported(Code::InvalidAutoScaling, |n| {
            props(n, public_image())
                .desired_count(count)
                .auto_scaling(Some(AutoScaling::new(2, 6)))
        });
    }
}

/// Builds a service from what `build` makes of the VPC; the synth error's codes and paths.
fn errors(build: impl FnOnce(&VpcThreeTier) -> FargateServiceProps) -> Vec<(Code, String)> {
    let mut app = App::new();
    let mut stack = Stack::new("Svc");
    let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    FargateService::new(&mut stack, "Web", build(&network));
    app.add_stack(stack);
    let err = app.assemble().expect_err("bad props must fail synth");
    err.errors().map(|d| (d.code, d.path.clone())).collect()
}

fn assert_reported(code: Code, build: impl FnOnce(&VpcThreeTier) -> FargateServiceProps) {
    let found = errors(build);
    assert_eq!(found, [(code, "Svc/Web".to_owned())], "{code:?}");
}

fn with_alb(
    network: &VpcThreeTier,
    edit: impl FnOnce(AlbProps) -> AlbProps,
) -> FargateServiceProps {
    FargateServiceProps::new(
        network.vpc(),
        network.app_subnets(),
        edit(https(network)),
        public_image(),
    )
}

#[test]
fn every_error_is_reported_with_its_code_and_path() {
    assert_reported(Code::InvalidFargateSize, |n| {
        props(n, public_image()).size_from(1024, 9216)
    });
    assert_reported(Code::InvalidFargateSize, |n| {
        props(n, public_image()).size_from(3000, 4096)
    });
    for image in ["nginx", "nginx:latest", "public.ecr.aws/nginx/nginx"] {
        assert_reported(Code::MutableImageTag, |n| {
            props(
                n,
                Container::new("web", ContainerImage::registry(image), 8080),
            )
        });
    }
    assert_reported(Code::MutableImageTag, |n| {
        props(
            n,
            Container::new("web", ContainerImage::ecr("web", "latest"), 8080),
        )
    });
    assert_reported(Code::InvalidHealthCheck, |n| {
        props(
            n,
            public_image().health_check(ContainerHealthCheck::shell("true").interval(1)),
        )
    });
    assert_reported(Code::InvalidHealthCheck, |n| {
        with_alb(n, |alb| {
            alb.health_check(TargetHealthCheck::new("/").matcher("500"))
        })
    });
    assert_reported(Code::InvalidHealthCheck, |n| {
        with_alb(n, |alb| {
            alb.health_check(TargetHealthCheck::new("/").interval(10).timeout(10))
        })
    });
    assert_reported(Code::InvalidAutoScaling, |n| {
        props(n, public_image()).auto_scaling(Some(AutoScaling::new(5, 2)))
    });
    assert_reported(Code::InvalidAutoScaling, |n| {
        props(n, public_image()).auto_scaling(Some(
            AutoScaling::new(1, 4).metric(ScalingMetric::Cpu(150.0)),
        ))
    });
    assert_reported(Code::InvalidContainer, |n| {
        props(
            n,
            Container::new("web", ContainerImage::registry("nginx:1.27"), 0),
        )
    });
    assert_reported(Code::InvalidContainer, |n| {
        props(
            n,
            public_image()
                .environment("TOKEN", "x")
                .secret("TOKEN", SecretSource::ssm_parameter("/token")),
        )
    });
    assert_reported(Code::InvalidContainer, |n| {
        props(
            n,
            public_image().secret("A", SecretSource::ssm_parameter("/a").json_key("k")),
        )
    });
    assert_reported(Code::InvalidContainer, |n| {
        props(
            n,
            Container::new("my web", ContainerImage::registry("nginx:1.27"), 80),
        )
    });
    assert_reported(Code::InvalidLoadBalancer, |n| {
        with_alb(n, |alb| alb.ingress_cidrs(["10.0.0.1/16"]))
    });
    assert_reported(Code::InvalidLoadBalancer, |n| {
        with_alb(n, |alb| alb.ingress_cidrs(Vec::<String>::new()))
    });
    assert_reported(Code::InvalidLoadBalancer, |n| {
        with_alb(n, |alb| {
            alb.access_logs(AccessLogs::new().prefix("/AWSLogs"))
        })
    });
}

#[test]
fn every_problem_of_a_setting_is_reported_not_only_the_first() {
    let found = errors(|n| {
        with_alb(n, |alb| {
            alb.health_check(TargetHealthCheck::new("health").matcher("500"))
                .access_logs(AccessLogs::new().prefix("/logs").expiration_days(0))
        })
        .auto_scaling(Some(
            AutoScaling::new(5, 2).metric(ScalingMetric::Cpu(150.0)),
        ))
    });
    let count = |code: Code| found.iter().filter(|(c, _)| *c == code).count();
    assert_eq!(count(Code::InvalidHealthCheck), 2, "{found:?}");
    assert_eq!(count(Code::InvalidLoadBalancer), 2, "{found:?}");
    assert_eq!(count(Code::InvalidAutoScaling), 2, "{found:?}");
    assert!(found.iter().all(|(_, path)| path == "Svc/Web"), "{found:?}");
}

#[test]
fn ecs_exec_gives_the_task_role_exactly_the_session_manager_channels() {
    let t = synth(|stack, network| {
        FargateService::new(
            stack,
            "Web",
            props(network, public_image().writable_root_filesystem()).enable_execute_command(),
        );
    });
    let service = &t["Resources"]["WebService"]["Properties"];
    assert_eq!(service["EnableExecuteCommand"], json!(true));
    let permissions = role_permissions(&t, "WebTaskRole");
    let star = json!("*");
    assert_eq!(
        permissions,
        [
            ("ssmmessages:CreateControlChannel".to_owned(), star.clone()),
            ("ssmmessages:CreateDataChannel".to_owned(), star.clone()),
            ("ssmmessages:OpenControlChannel".to_owned(), star.clone()),
            ("ssmmessages:OpenDataChannel".to_owned(), star),
        ]
    );
    let task_definition = &t["Resources"]["WebTaskDefinition"]["Properties"];
    assert_eq!(
        task_definition["TaskRoleArn"],
        json!({"Fn::GetAtt": ["WebTaskRole", "Arn"]})
    );
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

#[test]
fn ecs_exec_is_refused_on_a_read_only_root_filesystem() {
    // The exec agent writes into the container: with the read-only default it cannot start.
    assert_reported(Code::InvalidContainer, |n| {
        props(n, public_image()).enable_execute_command()
    });
}

#[test]
fn an_internet_facing_balancer_waits_for_the_internet_route_in_the_networks_stack() {
    // Same stack: ELB would refuse the public subnets while the gateway is not attached.
    let mut app = App::new();
    let mut stack = Stack::new("All");
    let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    FargateService::new(&mut stack, "Web", props(&network, public_image()));
    app.add_stack(stack);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let t: Json = serde_json::from_str(&assembly.stack("All").unwrap().json).unwrap();
    let depends_on = &t["Resources"]["WebLoadBalancer"]["DependsOn"];
    assert!(
        depends_on
            .as_array()
            .is_some_and(|d| d.contains(&json!("NetworkPublicDefaultRoute"))),
        "{depends_on}"
    );
    assert_eq!(
        t["Resources"]["NetworkPublicDefaultRoute"]["DependsOn"],
        json!(["NetworkInternetGatewayAttachment"])
    );

    // Another stack: deploy order waits for the network; DependsOn cannot cross stacks.
    let t = synth(|stack, network| {
        FargateService::new(stack, "Web", props(network, public_image()));
    });
    let depends_on = &t["Resources"]["WebLoadBalancer"]["DependsOn"];
    assert!(
        !depends_on.to_string().contains("PublicDefaultRoute"),
        "{depends_on}"
    );
}

#[test]
fn container_environment_values_are_references_and_cross_stack_ones_imports() {
    let t = synth(|stack, network| {
        let jobs = stack.add("Jobs", constructs::cfn::sqs::Queue::new());
        let container = public_image()
            .environment("LOG_LEVEL", "info")
            .environment("JOBS_URL", jobs.reference())
            // The VPC of the `Net` stack: an import.
            .environment("VPC_ID", network.vpc().reference());
        FargateService::new(stack, "Web", props(network, container));
    });
    let task = of_type(&t, "AWS::ECS::TaskDefinition");
    let env = &task[0].1["Properties"]["ContainerDefinitions"][0]["Environment"];
    assert_eq!(
        env,
        &json!([
            {"Name": "LOG_LEVEL", "Value": "info"},
            {"Name": "JOBS_URL", "Value": {"Ref": "Jobs"}},
            {"Name": "VPC_ID", "Value": {"Fn::ImportValue": "Net:NetworkVpc"}}
        ])
    );
}
