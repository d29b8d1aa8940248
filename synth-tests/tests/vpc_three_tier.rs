//! VpcThreeTier: what each choice emits, growth stability at the template level, and bad input
//! reported with a stable code and the construct path.

use constructs::cidr::Layout;
use constructs::network::{Azs, NatStrategy, VpcThreeTier, VpcThreeTierProps};
use constructs::{App, Code, Env, Stack, Template};
use serde_json::{json, Value as Json};

fn synth(props: VpcThreeTierProps) -> Template {
    let mut app = App::new();
    let mut stack = Stack::new("Net");
    VpcThreeTier::new(&mut stack, "Network", props);
    app.add_stack(stack);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    assembly.stacks[0].template.clone()
}

fn count(t: &Template, type_name: &str) -> usize {
    t.resources
        .values()
        .filter(|r| r.type_name == type_name)
        .count()
}

/// Subnet logical id -> CIDR.
fn subnet_cidrs(t: &Template) -> Vec<(String, String)> {
    t.resources
        .iter()
        .filter(|(_, r)| r.type_name == "AWS::EC2::Subnet")
        .map(|(id, r)| {
            let cidr = r.properties["CidrBlock"].as_str().unwrap().to_owned();
            (id.to_string(), cidr)
        })
        .collect()
}

#[test]
fn default_is_three_azs_with_a_nat_per_az_and_everything_on() {
    let t = synth(VpcThreeTierProps::new("10.0.0.0/16"));
    assert_eq!(count(&t, "AWS::EC2::Subnet"), 9);
    assert_eq!(count(&t, "AWS::EC2::NatGateway"), 3);
    assert_eq!(count(&t, "AWS::EC2::EIP"), 3);
    assert_eq!(count(&t, "AWS::EC2::VPCEndpoint"), 2);
    assert_eq!(count(&t, "AWS::EC2::FlowLog"), 1);
    assert_eq!(count(&t, "Custom::DefaultSecurityGroupLockdown"), 1);
    assert_eq!(count(&t, "AWS::EC2::NetworkAcl"), 0);
    // public 1 + app 3 + database 1
    assert_eq!(count(&t, "AWS::EC2::RouteTable"), 5);
    let cidrs = subnet_cidrs(&t);
    assert_eq!(
        cidrs[0],
        ("NetworkPublicSubnet1".into(), "10.0.0.0/24".into())
    );
    assert_eq!(cidrs[3], ("NetworkAppSubnet1".into(), "10.0.8.0/24".into()));
    assert_eq!(
        cidrs[6],
        ("NetworkDatabaseSubnet1".into(), "10.0.16.0/24".into())
    );
}

#[test]
fn single_nat_serves_every_app_subnet_and_none_gives_no_route_out() {
    let single = synth(VpcThreeTierProps::new("10.0.0.0/16").nat(NatStrategy::Single));
    assert_eq!(count(&single, "AWS::EC2::NatGateway"), 1);
    let app_routes: Vec<_> = single
        .resources
        .iter()
        .filter(|(id, _)| id.as_str().starts_with("NetworkAppDefaultRoute"))
        .map(|(_, r)| serde_json::to_value(&r.properties["NatGatewayId"]).unwrap())
        .collect();
    assert_eq!(app_routes.len(), 3);
    assert!(app_routes
        .iter()
        .all(|n| n == &serde_json::json!({"Ref": "NetworkNatGateway1"})));

    let none = synth(VpcThreeTierProps::new("10.0.0.0/16").nat(NatStrategy::None));
    assert_eq!(count(&none, "AWS::EC2::NatGateway"), 0);
    // Only the public default route remains.
    assert_eq!(count(&none, "AWS::EC2::Route"), 1);
}

#[test]
fn options_switch_resources_off_and_on() {
    let t = synth(
        VpcThreeTierProps::new("10.1.0.0/16")
            .without_gateway_endpoints()
            .flow_logs(None)
            .keep_default_security_group()
            .database_nacl(),
    );
    assert_eq!(count(&t, "AWS::EC2::VPCEndpoint"), 0);
    assert_eq!(count(&t, "AWS::EC2::FlowLog"), 0);
    assert_eq!(count(&t, "AWS::IAM::Role"), 0);
    assert_eq!(count(&t, "AWS::Lambda::Function"), 0);
    assert_eq!(count(&t, "AWS::EC2::NetworkAcl"), 1);
    assert_eq!(count(&t, "AWS::EC2::SubnetNetworkAclAssociation"), 3);
    // The ACL admits the app tier as one block.
    let entry = &t.resources["NetworkDatabaseNaclFromApp"];
    assert_eq!(entry.properties["CidrBlock"].as_str(), Some("10.1.8.0/21"));
}

/// The ports of a network ACL entry, `(from, to)`.
fn acl_ports(t: &constructs::Template, id: &str) -> (Json, Json) {
    let entry = serde_json::to_value(&t.resources[id].properties).unwrap();
    (
        entry["PortRange"]["From"].clone(),
        entry["PortRange"]["To"].clone(),
    )
}

#[test]
fn the_database_acl_admits_the_database_port_in_and_ephemeral_ports_out() {
    // Inbound only the database port from the app tier; outbound only the ephemeral ports
    // its replies go to (the ACL is stateless), never 0-65535.
    let t = synth(
        VpcThreeTierProps::new("10.1.0.0/16")
            .database_port(3306)
            .database_nacl(),
    );
    assert_eq!(
        acl_ports(&t, "NetworkDatabaseNaclFromApp"),
        (json!(3306), json!(3306))
    );
    assert_eq!(
        acl_ports(&t, "NetworkDatabaseNaclToApp"),
        (json!(1024), json!(65535))
    );
    let entry = serde_json::to_value(&t.resources["NetworkDatabaseNaclToApp"].properties).unwrap();
    assert_eq!(entry["Egress"], json!(true));
    assert_eq!(entry["Protocol"], json!(6));
}

#[test]
fn the_database_acl_admits_each_app_subnet_in_the_decimal_layout() {
    // The decimal layout gives the app tier no single block: one rule per app subnet.
    let t = synth(
        VpcThreeTierProps::new("10.1.0.0/16")
            .layout(Layout::Decimal)
            .database_nacl(),
    );
    assert_eq!(count(&t, "AWS::EC2::NetworkAcl"), 1);
    assert_eq!(count(&t, "AWS::EC2::NetworkAclEntry"), 6);
    for (n, rule) in [(1, 100), (2, 101), (3, 102)] {
        for id in ["FromApp", "ToApp"] {
            let entry = &t.resources[format!("NetworkDatabaseNacl{id}{n}").as_str()];
            assert_eq!(
                entry.properties["CidrBlock"].as_str(),
                t.resources[format!("NetworkAppSubnet{n}").as_str()].properties["CidrBlock"]
                    .as_str()
            );
            assert_eq!(entry.properties["RuleNumber"], constructs::Expr::Int(rule));
        }
    }
}

#[test]
fn named_azs_are_used_literally() {
    let t = synth(
        VpcThreeTierProps::new("10.0.0.0/16")
            .azs(Azs::Names(vec!["eu-west-1a".into(), "eu-west-1b".into()])),
    );
    assert_eq!(count(&t, "AWS::EC2::Subnet"), 6);
    let az = &t.resources["NetworkAppSubnet2"].properties["AvailabilityZone"];
    assert_eq!(az.as_str(), Some("eu-west-1b"));
}

#[test]
fn adding_an_az_keeps_every_existing_subnet_and_its_logical_id() {
    let before = subnet_cidrs(&synth(
        VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(2)),
    ));
    let after = subnet_cidrs(&synth(
        VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(3)),
    ));
    for subnet in &before {
        assert!(
            after.contains(subnet),
            "{subnet:?} moved or was renamed when an AZ was added"
        );
    }
    assert_eq!(after.len(), before.len() + 3);
}

fn synth_error(props: VpcThreeTierProps) -> constructs::SynthError {
    let mut app = App::new();
    let mut stack = Stack::new("Net");
    VpcThreeTier::new(&mut stack, "Network", props);
    app.add_stack(stack);
    app.assemble().expect_err("bad props must fail synth")
}

#[test]
fn bad_input_is_reported_with_code_and_path() {
    let cases = [
        (VpcThreeTierProps::new("10.0.0.0/8"), Code::InvalidVpcBlock),
        (VpcThreeTierProps::new("10.0.0.1/16"), Code::InvalidVpcBlock),
        (VpcThreeTierProps::new("not a cidr"), Code::InvalidVpcBlock),
        (
            VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(7)),
            Code::AzCountOutOfRange,
        ),
        (
            VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(1)),
            Code::AzCountOutOfRange,
        ),
        (
            VpcThreeTierProps::new("10.0.0.0/16").prefixes(24, 29, 24),
            Code::SubnetPrefixOutOfRange,
        ),
        (
            VpcThreeTierProps::new("10.0.0.0/24").prefixes(26, 26, 26),
            Code::CidrExhausted,
        ),
        (
            VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Names(vec!["a".into(), "a".into()])),
            Code::AzCountOutOfRange,
        ),
    ];
    for (props, code) in cases {
        let err = synth_error(props.clone());
        let first = err.errors().next().unwrap();
        assert_eq!(first.code, code, "{props:?}: {err}");
        assert_eq!(first.path, "Net/Network", "{err}");
    }
}

#[test]
fn repeated_azs_and_every_plan_problem_are_reported_together() {
    let mut app = App::new();
    let mut stack = Stack::new("Net");
    let names = ["eu-west-1a", "eu-west-1a", "eu-west-1b", "eu-west-1a"];
    VpcThreeTier::new(
        &mut stack,
        "Network",
        VpcThreeTierProps::new("10.0.0.1/16")
            .azs(Azs::Names(names.map(String::from).to_vec()))
            .prefixes(24, 12, 24),
    );
    app.add_stack(stack);
    let e = app.assemble().unwrap_err();
    let found: Vec<(Code, &str)> = e.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::AzCountOutOfRange, "Net/Network"),
            (Code::InvalidVpcBlock, "Net/Network"),
            (Code::SubnetPrefixOutOfRange, "Net/Network"),
        ],
        "{e}"
    );
}

fn synth_in(
    region: Option<&str>,
    props: VpcThreeTierProps,
) -> Result<Template, constructs::SynthError> {
    let mut app = App::new();
    let env = Env {
        region: region.map(String::from),
        ..Env::default()
    };
    let mut stack = Stack::new("Net").env(env);
    VpcThreeTier::new(&mut stack, "Network", props);
    app.add_stack(stack);
    Ok(app.assemble()?.stacks[0].template.clone())
}

/// Subnet logical id -> its zone property, as JSON.
fn subnet_zones(t: &Template) -> Vec<(String, serde_json::Value)> {
    t.resources
        .iter()
        .filter(|(_, r)| r.type_name == "AWS::EC2::Subnet")
        .map(|(id, r)| {
            let zone = r
                .properties
                .iter()
                .find(|(k, _)| k.starts_with("AvailabilityZone"))
                .map(|(k, v)| serde_json::json!({ k.as_str(): v }))
                .unwrap();
            (id.to_string(), zone)
        })
        .collect()
}

#[test]
fn a_count_in_a_pinned_stack_writes_zone_names_that_growth_keeps() {
    let two = synth_in(
        Some("us-east-1"),
        VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(2)),
    )
    .unwrap();
    let three = synth_in(
        Some("us-east-1"),
        VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(3)),
    )
    .unwrap();
    let zones = subnet_zones(&two);
    assert_eq!(
        zones[1],
        (
            "NetworkPublicSubnet2".into(),
            serde_json::json!({"AvailabilityZone": "us-east-1b"})
        )
    );
    assert!(serde_json::to_string(&two.resources)
        .unwrap()
        .find("GetAZs")
        .is_none());
    let grown = subnet_zones(&three);
    for zone in &zones {
        assert!(
            grown.contains(zone),
            "{zone:?} changed zone when an AZ was added"
        );
    }
    // cfn-lint's W3010 flags literal zone names; these are literal on purpose, and say so.
    let metadata = serde_json::to_value(&two.resources["NetworkAppSubnet1"].metadata).unwrap();
    assert_eq!(
        metadata,
        serde_json::json!({"cfn-lint": {"config": {"ignore_checks": ["W3010"]}}})
    );
    // Unpinned, the count is left to Fn::GetAZs, as documented.
    let unpinned = synth(VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(2)));
    assert_eq!(
        subnet_zones(&unpinned)[1].1,
        serde_json::json!({"AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]}})
    );
}

#[test]
fn zone_ids_are_written_as_availability_zone_id() {
    let t = synth_in(
        Some("eu-west-1"),
        VpcThreeTierProps::new("10.0.0.0/16")
            .azs(Azs::Ids(vec!["euw1-az3".into(), "euw1-az1".into()])),
    )
    .unwrap();
    assert_eq!(count(&t, "AWS::EC2::Subnet"), 6);
    // W3010 does not look at AvailabilityZoneId: nothing to tell cfn-lint.
    assert!(t.resources["NetworkAppSubnet1"].metadata.is_empty());
    assert_eq!(
        subnet_zones(&t)[4],
        (
            "NetworkDatabaseSubnet1".into(),
            serde_json::json!({"AvailabilityZoneId": "euw1-az3"})
        )
    );
}

#[test]
fn zones_that_cannot_be_in_the_pinned_region_are_refused_with_every_plan_problem() {
    let props = VpcThreeTierProps::new("10.0.0.0/33").azs(Azs::Names(vec![
        "eu-west-1a".into(),
        "".into(),
        "us-east-1a".into(),
    ]));
    let err = synth_in(Some("eu-west-1"), props).unwrap_err();
    let found: Vec<(Code, &str)> = err.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::InvalidAvailabilityZone, "Net/Network"),
            (Code::InvalidAvailabilityZone, "Net/Network"),
            (Code::InvalidVpcBlock, "Net/Network"),
        ],
        "{err}"
    );
    let ids =
        VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Ids(vec!["use1-az1".into(), "x".into()]));
    let err = synth_in(Some("eu-west-1"), ids).unwrap_err();
    assert_eq!(err.errors().count(), 2, "{err}");
    assert!(err
        .errors()
        .all(|d| d.code == Code::InvalidAvailabilityZone));

    let err = synth_in(Some("xx-nowhere-1"), VpcThreeTierProps::new("10.0.0.0/16")).unwrap_err();
    assert!(err.has(Code::NoZoneData), "{err}");
}

#[test]
fn the_declared_maximum_moves_subnets_only_when_the_room_changes() {
    let at = |max_azs: u8| {
        subnet_cidrs(&synth(
            VpcThreeTierProps::new("10.0.0.0/16")
                .azs(Azs::Count(2))
                .max_azs(max_azs),
        ))
    };
    // 3 and 4 AZs both take blocks of 4 subnets, as 5 and 6 take blocks of 8.
    assert_eq!(at(3), at(4));
    assert_eq!(at(5), at(6));
    // From 2 to 3 every tier's block doubles: the later tiers move.
    assert_ne!(at(2), at(3));
    assert_ne!(at(4), at(5));
}
