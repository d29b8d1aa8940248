//! Networks beyond the default three-tier VPC: a NAT count between one and per AZ, interface
//! endpoints for subnets without NAT (and the Fargate check that the ones it needs are there),
//! and existing VPCs, subnets and security groups by id, parameter or import.

use constructs::blocks::ec2::{
    Allow, App as AppTier, EndpointService, Public, SecurityGroupRef, SubnetGroup, VpcRef,
};
use constructs::blocks::lambda::{Function, FunctionCode, FunctionProps, Runtime};
use constructs::cfn::ec2::SecurityGroup;
use constructs::cfn::secretsmanager::Secret;
use constructs::fargate::{
    AlbListener, AlbPlacement, AlbProps, Container, ContainerImage, DatabaseAccess, FargateService,
    FargateServiceProps, SecretSource,
};
use constructs::network::{Azs, NatStrategy, VpcThreeTier, VpcThreeTierProps};
use constructs::{App, Code, Parameter, Stack, SynthError};
use serde_json::{json, Value as Json};
use synth_tests::{resources_of_type, synth_stack};

fn vpc(props: VpcThreeTierProps) -> Result<Json, SynthError> {
    synth_stack("Net", |stack| {
        VpcThreeTier::new(stack, "Network", props);
    })
}

#[test]
fn a_nat_count_places_gateways_in_the_first_azs_and_shares_them_round_robin() {
    let t = vpc(VpcThreeTierProps::new("10.0.0.0/16")
        .azs(Azs::Count(3))
        .nat(NatStrategy::Count(2)))
    .unwrap();
    let gateways: Vec<&String> = resources_of_type(&t, "AWS::EC2::NatGateway")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(gateways, ["NetworkNatGateway1", "NetworkNatGateway2"]);
    let route = |n: u8| {
        t["Resources"][format!("NetworkAppDefaultRoute{n}")]["Properties"]["NatGatewayId"].clone()
    };
    assert_eq!(route(1), json!({"Ref": "NetworkNatGateway1"}));
    assert_eq!(route(2), json!({"Ref": "NetworkNatGateway2"}));
    assert_eq!(route(3), json!({"Ref": "NetworkNatGateway1"}));
}

#[test]
fn the_count_forms_of_per_az_and_single_are_the_same_template() {
    let props = || VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(3));
    assert_eq!(
        vpc(props().nat(NatStrategy::Count(3))).unwrap(),
        vpc(props().nat(NatStrategy::PerAz)).unwrap()
    );
    assert_eq!(
        vpc(props().nat(NatStrategy::Count(1))).unwrap(),
        vpc(props().nat(NatStrategy::Single)).unwrap()
    );
}

#[test]
fn a_nat_count_outside_one_to_the_azs_is_refused_with_its_path() {
    for count in [0, 4] {
        let err = vpc(VpcThreeTierProps::new("10.0.0.0/16")
            .azs(Azs::Count(3))
            .nat(NatStrategy::Count(count)))
        .unwrap_err();
        let errors: Vec<_> = err.errors().collect();
        assert_eq!(errors.len(), 1, "{err}");
        assert_eq!(errors[0].code, Code::NatCountOutOfRange);
        assert_eq!(errors[0].path, "Net/Network");
        assert!(
            errors[0].message.contains(&format!("{count} NAT gateways")),
            "{err}"
        );
    }
}

#[test]
fn interface_endpoints_sit_in_the_app_subnets_behind_a_group_open_to_the_app_tier_only() {
    let t = vpc(VpcThreeTierProps::new("10.0.0.0/16")
        .azs(Azs::Count(2))
        .nat(NatStrategy::None)
        .interface_endpoints([EndpointService::EcrApi, EndpointService::Logs])
        .interface_endpoints([EndpointService::EcrApi]))
    .unwrap();
    let interface: Vec<(&String, &Json)> = resources_of_type(&t, "AWS::EC2::VPCEndpoint")
        .into_iter()
        .filter(|(_, r)| r["Properties"]["VpcEndpointType"] == "Interface")
        .collect();
    let ids: Vec<&String> = interface.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, ["NetworkEcrApiEndpoint", "NetworkLogsEndpoint"]);
    let props = &interface[0].1["Properties"];
    assert_eq!(
        props["ServiceName"],
        json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.ecr.api"})
    );
    assert_eq!(props["PrivateDnsEnabled"], true);
    assert_eq!(
        props["SubnetIds"],
        json!([{"Ref": "NetworkAppSubnet1"}, {"Ref": "NetworkAppSubnet2"}])
    );
    assert_eq!(
        props["SecurityGroupIds"],
        json!([{"Fn::GetAtt": ["NetworkEndpointSecurityGroup", "GroupId"]}])
    );
    let group = &t["Resources"]["NetworkEndpointSecurityGroup"]["Properties"];
    // The app tier's block (aligned layout: one /21 for room to grow to 6 AZs), 443 only.
    assert_eq!(
        group["SecurityGroupIngress"],
        json!([{"IpProtocol": "tcp", "CidrIp": "10.0.8.0/21", "FromPort": 443, "ToPort": 443,
                "Description": "HTTPS from the app tier"}])
    );
    assert_eq!(
        group["SecurityGroupEgress"][0]["CidrIp"],
        "255.255.255.255/32"
    );
    // No NAT: the app route tables have no default route.
    assert!(resources_of_type(&t, "AWS::EC2::NatGateway").is_empty());
    assert!(t["Resources"]["NetworkAppDefaultRoute1"].is_null());
}

#[test]
fn without_interface_endpoints_nothing_is_added() {
    let t = vpc(VpcThreeTierProps::new("10.0.0.0/16").nat(NatStrategy::None)).unwrap();
    assert!(t["Resources"]["NetworkEndpointSecurityGroup"].is_null());
    assert_eq!(resources_of_type(&t, "AWS::EC2::VPCEndpoint").len(), 2);
}

/// A private service (tasks in app subnets of `network_props`, an internal load balancer)
/// running `container`, in one stack.
fn private_service(
    network_props: VpcThreeTierProps,
    container: impl FnOnce(&mut Stack) -> Container,
) -> Result<Json, SynthError> {
    synth_stack("Svc", |stack| {
        let network = VpcThreeTier::new(stack, "Network", network_props.azs(Azs::Count(2)));
        let container = container(stack);
        FargateService::new(
            stack,
            "Web",
            FargateServiceProps::new(
                network.vpc(),
                network.app_subnets(),
                AlbProps::new(
                    AlbPlacement::Internal(network.app_subnets().clone()),
                    AlbListener::plain_http(),
                ),
                container,
            ),
        );
    })
}

fn with_secret(stack: &mut Stack) -> Container {
    let secret = stack.add("Secret", Secret::new());
    Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080)
        .secret("TOKEN", SecretSource::secrets_manager(&secret))
        .secret("FLAG", SecretSource::ssm_parameter("/web/flag"))
}

#[test]
fn a_service_without_nat_must_have_the_endpoints_it_starts_with() {
    let err = private_service(
        VpcThreeTierProps::new("10.0.0.0/16").nat(NatStrategy::None),
        with_secret,
    )
    .unwrap_err();
    let errors: Vec<_> = err.errors().collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].code, Code::MissingVpcEndpoints);
    assert_eq!(errors[0].path, "Svc/Web");
    assert!(
        errors[0].message.ends_with(
            "EndpointService::EcrApi, EndpointService::EcrDkr, EndpointService::Logs, \
             EndpointService::SecretsManager, EndpointService::Ssm"
        ),
        "{err}"
    );

    // With the S3 gateway endpoint off, ECR's image layers are out of reach too.
    let err = private_service(
        VpcThreeTierProps::new("10.0.0.0/16")
            .nat(NatStrategy::None)
            .without_gateway_endpoints()
            .interface_endpoints([
                EndpointService::EcrApi,
                EndpointService::EcrDkr,
                EndpointService::Logs,
            ]),
        |_| Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
    )
    .unwrap_err();
    assert!(err.to_string().contains("the S3 gateway endpoint"), "{err}");

    // An image outside ECR cannot be pulled at all.
    let err = private_service(
        VpcThreeTierProps::new("10.0.0.0/16")
            .nat(NatStrategy::None)
            .interface_endpoints([EndpointService::Logs]),
        |_| {
            Container::new(
                "web",
                ContainerImage::registry("docker.io/library/nginx:1.27"),
                8080,
            )
        },
    )
    .unwrap_err();
    let errors: Vec<_> = err.errors().collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].message.contains("docker.io/library/nginx:1.27"),
        "{err}"
    );
}

#[test]
fn a_service_with_its_endpoints_or_with_nat_synthesizes() {
    private_service(
        VpcThreeTierProps::new("10.0.0.0/16")
            .nat(NatStrategy::None)
            .interface_endpoints([
                EndpointService::EcrApi,
                EndpointService::EcrDkr,
                EndpointService::Logs,
                EndpointService::SecretsManager,
                EndpointService::Ssm,
            ]),
        with_secret,
    )
    .unwrap();
    private_service(
        VpcThreeTierProps::new("10.0.0.0/16").nat(NatStrategy::Count(1)),
        with_secret,
    )
    .unwrap();
}

fn existing_service(
    vpc: VpcRef,
    app: SubnetGroup<AppTier>,
    public: SubnetGroup<Public>,
    database: SecurityGroupRef,
) -> Result<Json, SynthError> {
    synth_stack("Svc", |stack| {
        FargateService::new(
            stack,
            "Web",
            FargateServiceProps::new(
                vpc,
                &app,
                AlbProps::new(
                    AlbPlacement::InternetFacing(public),
                    AlbListener::plain_http(),
                ),
                Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
            )
            .database(DatabaseAccess::new(database, 5432)),
        );
    })
}

#[test]
fn a_service_runs_in_an_existing_vpc_by_ids() {
    let t = existing_service(
        VpcRef::from_id("vpc-0123456789abcdef0"),
        SubnetGroup::from_ids(["subnet-0a1b2c3d", "subnet-4e5f6a7b"]),
        SubnetGroup::from_import("Net-PublicSubnetIds", 2),
        SecurityGroupRef::from_id("sg-0123456789abcdef0"),
    )
    .unwrap();
    let r = &t["Resources"];
    assert_eq!(
        r["WebService"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"],
        json!(["subnet-0a1b2c3d", "subnet-4e5f6a7b"])
    );
    for (resource, property) in [
        ("WebServiceSecurityGroup", "VpcId"),
        ("WebTargetGroup", "VpcId"),
    ] {
        assert_eq!(r[resource]["Properties"][property], "vpc-0123456789abcdef0");
    }
    let split = json!({"Fn::Split": [",", {"Fn::ImportValue": "Net-PublicSubnetIds"}]});
    assert_eq!(
        r["WebLoadBalancer"]["Properties"]["Subnets"],
        json!([{"Fn::Select": [0, split]}, {"Fn::Select": [1, split]}])
    );
    for (resource, property) in [
        ("WebDatabase1FromServiceIngress", "GroupId"),
        ("WebServiceToDatabase1Egress", "DestinationSecurityGroupId"),
    ] {
        assert_eq!(r[resource]["Properties"][property], "sg-0123456789abcdef0");
    }
}

#[test]
fn every_malformed_or_repeated_existing_id_is_reported_with_the_users_path() {
    let err = existing_service(
        VpcRef::from_id("vpc-main"),
        SubnetGroup::from_ids(["subnet-0a1b2c3d", "subnet-0a1b2c3d", "subnet-0a1b2c3d"]),
        SubnetGroup::from_ids(["subnet-XYZ", "subnet-4e5f6a7b"]),
        SecurityGroupRef::from_id("sg-db"),
    )
    .unwrap_err();
    let mut found: Vec<(Code, String)> = err.errors().map(|d| (d.code, d.path.clone())).collect();
    found.sort();
    assert_eq!(
        found,
        [
            (Code::InvalidResourceId, "Svc/Web".to_owned()),
            (Code::InvalidResourceId, "Svc/Web".to_owned()),
            (Code::InvalidResourceId, "Svc/Web".to_owned()),
            (Code::InvalidSubnetGroup, "Svc/Web".to_owned()),
        ],
        "{err}"
    );
    assert!(
        err.to_string().contains("`vpc-main` is not a vpc id"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("`sg-db` is not a security group id"),
        "{err}"
    );
}

/// A function to place in a VPC.
fn worker() -> FunctionProps {
    FunctionProps::new(
        Runtime::Python313,
        "index.handler",
        FunctionCode::inline("def handler(event, context):\n    return None\n"),
    )
}

#[test]
fn parameters_and_a_declared_list_stand_for_existing_subnets() {
    let t = synth_stack("Svc", |stack| {
        let vpc = stack.add_parameter("VpcId", Parameter::vpc_id());
        let list = stack.add_parameter("AppSubnets", Parameter::subnet_ids());
        let app = SubnetGroup::<AppTier>::from_list(list, 2);
        Function::new(stack, "Worker", worker().in_vpc(vpc, &app));
    })
    .unwrap();
    let function = &t["Resources"]["WorkerFunction"]["Properties"];
    assert_eq!(
        function["VpcConfig"]["SubnetIds"],
        json!([
            {"Fn::Select": [0, {"Ref": "AppSubnets"}]},
            {"Fn::Select": [1, {"Ref": "AppSubnets"}]}
        ])
    );
    assert_eq!(
        t["Resources"]["WorkerSecurityGroup"]["Properties"]["VpcId"],
        json!({"Ref": "VpcId"})
    );
    // Lambda may create interfaces in exactly those two subnets.
    let policy = t["Resources"]["WorkerRole"]["Properties"]["Policies"].to_string();
    assert!(
        policy.contains(r#"{"Fn::Select":[1,{"Ref":"AppSubnets"}]}"#),
        "{policy}"
    );
}

#[test]
fn a_declared_count_outside_one_to_six_is_refused() {
    let err = synth_stack("Svc", |stack| {
        let list = stack.add_parameter("AppSubnets", Parameter::subnet_ids());
        Function::new(
            stack,
            "Worker",
            FunctionProps::new(
                Runtime::Python313,
                "index.handler",
                FunctionCode::inline("def handler(event, context):\n    return None\n"),
            )
            .in_vpc(
                VpcRef::from_id("vpc-12345678"),
                &SubnetGroup::from_list(list, 0),
            ),
        );
    })
    .unwrap_err();
    let errors: Vec<_> = err.errors().collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].code, Code::InvalidSubnetGroup);
    assert_eq!(errors[0].path, "Svc/Worker");
}

#[test]
fn allow_admits_an_existing_group_by_id() {
    let mut app = App::new();
    let mut stack = Stack::new("Svc");
    let vpc = stack.add_parameter("VpcId", Parameter::vpc_id());
    let mine = stack.add("Mine", SecurityGroup::new("Mine").vpc_id(vpc));
    let rules = Allow::tcp(
        ("Mine", &mine),
        ("Shared", SecurityGroupRef::from_id("sg-12345678")),
        5432,
    )
    .add_to(&mut stack);
    assert_eq!(rules.ingress.logical_id(), "SharedFromMineIngress");
    app.add_stack(stack);
    let assembly = app.assemble().unwrap();
    let t: Json = serde_json::from_str(&assembly.stacks[0].json).unwrap();
    assert_eq!(
        t["Resources"]["SharedFromMineIngress"]["Properties"]["GroupId"],
        "sg-12345678"
    );
}

#[test]
fn a_group_shared_by_the_tasks_and_an_internal_load_balancer_is_reported_once() {
    let err = synth_stack("Svc", |stack| {
        let app = SubnetGroup::<AppTier>::from_ids(["subnet-bad", "subnet-4e5f6a7b"]);
        FargateService::new(
            stack,
            "Web",
            FargateServiceProps::new(
                VpcRef::from_id("vpc-12345678"),
                &app,
                AlbProps::new(
                    AlbPlacement::Internal(app.clone()),
                    AlbListener::plain_http(),
                ),
                Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
            ),
        );
    })
    .unwrap_err();
    assert_eq!(err.errors().count(), 1, "{err}");
}
