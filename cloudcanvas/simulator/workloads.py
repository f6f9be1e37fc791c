"""Workloads placed in a spoke: VMs behind load balancers, App Service, databases, AKS..."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudcanvas.simulator import shapes as s
from cloudcanvas.simulator import shapes_edge as e
from cloudcanvas.simulator import shapes_paas as p

if TYPE_CHECKING:
    from cloudcanvas.simulator.generator import Builder

JSON = dict[str, Any]
NET = "Microsoft.Network"


@dataclass
class Spoke:
    rg: str
    region: str
    name: str
    app: str
    stage: str
    prefix: str
    vnet: JSON
    nsgs: dict[str, str]
    unit: str = ""

    def subnet(self, role: str) -> str:
        return f"{self.vnet['id']}/subnets/snet-{role}"

    @classmethod
    def create(cls, b: Builder, region: str, name: str, app: str, stage: str) -> Spoke:
        tags = b.tags(app, stage)
        rg = b.group(f"rg-{name}", region, tags)
        octet = b.spokes % 250 + 1
        prefix = f"10.{octet}.0.0/16"
        vnet_id = b.rid(rg, f"{NET}/virtualNetworks", f"vnet-{name}")
        nsgs = {
            r: b.rid(rg, f"{NET}/networkSecurityGroups", f"nsg-{name}-{r}")
            for r in ("web", "app", "data")
        }
        rt = b.rid(rg, f"{NET}/routeTables", f"rt-{name}")
        nat = b.rid(rg, f"{NET}/natGateways", f"ng-{name}")
        nat_pip = b.rid(rg, f"{NET}/publicIPAddresses", f"pip-ng-{name}")
        subnets = _spoke_subnets(b, vnet_id, octet, nsgs, rt, nat)
        vnet = s.vnet(vnet_id, region, prefix, subnets, tags)
        b.resources += [
            vnet,
            s.nsg(nsgs["web"], region, [80, 443], tags),
            s.nsg(nsgs["app"], region, [8080], tags),
            s.nsg(nsgs["data"], region, [1433, 5432, 6380], tags),
            s.route_table(rt, region, "10.0.1.4", tags),
            s.nat_gateway(nat, region, b.ref(nat_pip), tags),
            s.public_ip(nat_pip, region, b.public_ip(), None, tags),
        ]
        return cls(rg, region, name, app, stage, prefix, vnet, nsgs, name)


def _spoke_subnets(
    b: Builder, vnet_id: str, octet: int, nsgs: dict[str, str], rt: str, nat: str
) -> list[JSON]:
    """A spoke's subnets: web, app and data tiers, two delegated ones, the gateway's and AKS's."""
    return [
        s.subnet(
            vnet_id,
            "snet-web",
            f"10.{octet}.0.0/24",
            nsg=b.ref(nsgs["web"]),
            route_table=b.ref(rt),
        ),
        s.subnet(vnet_id, "snet-app", f"10.{octet}.1.0/24", nsg=b.ref(nsgs["app"]), nat=b.ref(nat)),
        s.subnet(vnet_id, "snet-data", f"10.{octet}.2.0/24", nsg=b.ref(nsgs["data"])),
        s.subnet(
            vnet_id,
            "snet-integration",
            f"10.{octet}.3.0/24",
            delegation="Microsoft.Web/serverFarms",
        ),
        s.subnet(
            vnet_id,
            "snet-pg",
            f"10.{octet}.4.0/24",
            delegation="Microsoft.DBforPostgreSQL/flexibleServers",
        ),
        s.subnet(vnet_id, "snet-appgw", f"10.{octet}.5.0/24"),
        s.subnet(vnet_id, "snet-aks", f"10.{octet}.16.0/20", route_table=b.ref(rt)),
    ]


def _short(b: Builder, stem: str) -> str:
    return f"{stem}{b.guid().replace('-', '')[:10]}"


def private_endpoint(b: Builder, sp: Spoke, target: str, group: str) -> str:
    """A private endpoint (and the NIC Azure creates for it) in the data subnet; returns its id."""
    tags = b.tags(sp.app, sp.stage)
    name = f"pe-{target.rsplit('/', 1)[-1]}"
    pe = b.rid(sp.rg, f"{NET}/privateEndpoints", name)
    nic = b.rid(sp.rg, f"{NET}/networkInterfaces", f"{name}.nic.{b.guid()}")
    subnet = b.ref(sp.subnet("data"))
    b.resources.append(e.private_endpoint(pe, sp.region, subnet, b.ref(target), group, nic, tags))
    b.resources.append(s.nic(nic, sp.region, b.ip(sp.prefix), {"subnet": subnet}, tags))
    return pe


def vm_tier(b: Builder, sp: Spoke) -> None:
    tags = b.tags(sp.app, sp.stage)
    tier = f"{sp.unit}-{b.rng.choice(('web', 'app', 'api'))}{b.rng.randint(1, 99)}"
    lb = b.rid(sp.rg, f"{NET}/loadBalancers", f"lb-{tier}")
    lb_pip = b.rid(sp.rg, f"{NET}/publicIPAddresses", f"pip-lb-{tier}")
    pool = f"{lb}/backendAddressPools/be"
    members = [_tier_vm(b, sp, tier, i, pool, tags) for i in range(b.rng.randint(2, 4))]
    b.resources.append(
        s.public_ip(lb_pip, sp.region, b.public_ip(), f"{lb}/frontendIPConfigurations/fe", tags)
    )
    b.resources.append(e.load_balancer(lb, sp.region, b.ref(lb_pip), members, tags))


def _tier_vm(b: Builder, sp: Spoke, tier: str, i: int, pool: str, tags: dict[str, str]) -> str:
    """The tier's i-th VM, its NIC in the load balancer's pool, and its disks; returns the NIC's
    IP configuration for the pool's members."""
    vm_name = f"vm-{tier}-{i + 1}"
    vm_id = b.rid(sp.rg, "Microsoft.Compute/virtualMachines", vm_name)
    nic = b.rid(sp.rg, f"{NET}/networkInterfaces", f"nic-{vm_name}")
    disks = [
        b.rid(sp.rg, "Microsoft.Compute/disks", f"{vm_name}_OsDisk_1_{b.guid().replace('-', '')}")
    ]
    if b.rng.random() < 0.5:
        disks.append(b.rid(sp.rg, "Microsoft.Compute/disks", f"{vm_name}-data-0"))
    links: JSON = {
        "subnet": b.ref(sp.subnet("web")),
        "nsg": b.ref(sp.nsgs["web"]),
        "vm": b.ref(vm_id),
    }
    links["pools"] = [b.ref(pool)]
    if i == 0 and b.rng.random() < 0.3:
        pip = b.rid(sp.rg, f"{NET}/publicIPAddresses", f"pip-{vm_name}")
        links["pip"] = b.ref(pip)
        b.resources.append(
            s.public_ip(pip, sp.region, b.public_ip(), f"{nic}/ipConfigurations/ipconfig1", tags)
        )
    b.resources.append(s.nic(nic, sp.region, b.ip(sp.prefix), links, tags))
    b.resources.append(
        s.vm(vm_id, sp.region, "Standard_D2s_v5", [b.ref(d) for d in disks], [b.ref(nic)], tags)
    )
    b.resources += [
        s.disk(d, sp.region, 30 if j == 0 else 128, b.ref(vm_id), tags) for j, d in enumerate(disks)
    ]
    return b.ref(f"{nic}/ipConfigurations/ipconfig1")


def web_apps(b: Builder, sp: Spoke) -> None:
    tags = b.tags(sp.app, sp.stage)
    farm = b.rid(sp.rg, "Microsoft.Web/serverfarms", f"asp-{sp.unit}")
    b.resources.append(p.server_farm(farm, sp.region, "P1v3", tags))
    fqdns = []
    for i in range(b.rng.randint(1, 2)):
        site = b.rid(sp.rg, "Microsoft.Web/sites", f"app-{sp.unit}-{i + 1}")
        b.resources.append(
            p.site(site, sp.region, "app", b.ref(farm), b.ref(sp.subnet("integration")), tags)
        )
        fqdns.append(f"app-{sp.unit}-{i + 1}.azurewebsites.net")
    func = b.rid(sp.rg, "Microsoft.Web/sites", f"func-{sp.unit}")
    b.resources.append(
        p.site(func, sp.region, "functionapp", b.ref(farm), b.ref(sp.subnet("integration")), tags)
    )
    st = b.rid(sp.rg, "Microsoft.Storage/storageAccounts", _short(b, "stfunc"))
    b.resources.append(p.storage(st, sp.region, "StorageV2", None, tags))
    gw = b.rid(sp.rg, f"{NET}/applicationGateways", f"agw-{sp.unit}")
    pip = b.rid(sp.rg, f"{NET}/publicIPAddresses", f"pip-agw-{sp.unit}")
    b.resources.append(
        s.public_ip(pip, sp.region, b.public_ip(), f"{gw}/frontendIPConfigurations/appgwfip", tags)
    )
    b.resources.append(
        e.app_gateway(gw, sp.region, b.ref(sp.subnet("appgw")), b.ref(pip), fqdns, tags)
    )
    if b.rng.random() < 0.3:
        fd = b.rid(sp.rg, f"{NET}/frontDoors", f"fd-{sp.unit}")
        b.resources.append(e.front_door(fd, fqdns, tags))
        zone = b.rid(sp.rg, f"{NET}/dnszones", f"{sp.app}-{sp.unit}.contoso.com")
        b.resources.append(e.dns_zone(zone, tags))


def sql(b: Builder, sp: Spoke) -> None:
    tags = b.tags(sp.app, sp.stage)
    server = b.rid(sp.rg, "Microsoft.Sql/servers", f"sql-{sp.unit}")
    pe = private_endpoint(b, sp, server, "sqlServer")
    b.resources.append(p.sql_server(server, sp.region, b.ref(pe), tags))
    for i in range(b.rng.randint(1, 3)):
        db = f"{server}/databases/sqldb-{sp.app}-{i + 1}"
        tier = b.rng.choice(("GeneralPurpose", "BusinessCritical"))
        b.resources.append(p.sql_database(db, sp.region, tier, tags))


def data_services(b: Builder, sp: Spoke) -> None:
    tags = b.tags(sp.app, sp.stage)
    choices = ["storage", "cosmos", "redis", "keyvault"]
    for kind in b.rng.sample(choices, 2):
        if kind == "storage":
            rid = b.rid(sp.rg, "Microsoft.Storage/storageAccounts", _short(b, "st"))
            pe = private_endpoint(b, sp, rid, "blob")
            b.resources.append(p.storage(rid, sp.region, "StorageV2", b.ref(pe), tags))
        elif kind == "cosmos":
            rid = b.rid(sp.rg, "Microsoft.DocumentDB/databaseAccounts", f"cosmos-{sp.unit}")
            b.resources.append(
                p.cosmos(rid, sp.region, b.ref(private_endpoint(b, sp, rid, "Sql")), tags)
            )
        elif kind == "redis":
            rid = b.rid(sp.rg, "Microsoft.Cache/Redis", f"redis-{sp.unit}")
            b.resources.append(
                p.redis(rid, sp.region, b.ref(private_endpoint(b, sp, rid, "redisCache")), tags)
            )
        else:
            rid = b.rid(sp.rg, "Microsoft.KeyVault/vaults", _short(b, "kv-"))
            pe = private_endpoint(b, sp, rid, "vault")
            b.resources.append(p.key_vault(rid, sp.region, b.tenant, b.ref(pe), tags))


def kubernetes(b: Builder, sp: Spoke) -> None:
    rid = b.rid(sp.rg, "Microsoft.ContainerService/managedClusters", f"aks-{sp.unit}")
    b.resources.append(p.aks(rid, sp.region, b.ref(sp.subnet("aks")), b.tags(sp.app, sp.stage)))


def scale_set(b: Builder, sp: Spoke) -> None:
    tags = b.tags(sp.app, sp.stage)
    lb = b.rid(sp.rg, f"{NET}/loadBalancers", f"lb-vmss-{sp.unit}")
    pip = b.rid(sp.rg, f"{NET}/publicIPAddresses", f"pip-lb-vmss-{sp.unit}")
    vmss = b.rid(sp.rg, "Microsoft.Compute/virtualMachineScaleSets", f"vmss-{sp.unit}")
    b.resources.append(
        s.public_ip(pip, sp.region, b.public_ip(), f"{lb}/frontendIPConfigurations/fe", tags)
    )
    b.resources.append(e.load_balancer(lb, sp.region, b.ref(pip), [], tags))
    b.resources.append(
        p.vmss(
            vmss, sp.region, b.ref(sp.subnet("app")), b.ref(f"{lb}/backendAddressPools/be"), tags
        )
    )


def messaging(b: Builder, sp: Spoke) -> None:
    tags = b.tags(sp.app, sp.stage)
    ns = b.rid(sp.rg, "Microsoft.ServiceBus/namespaces", f"sb-{sp.unit}")
    b.resources.append(
        p.service_bus(ns, sp.region, b.ref(private_endpoint(b, sp, ns, "namespace")), tags)
    )
    b.resources.append(p.service_bus_entity(f"{ns}/queues/orders", sp.region, "queues"))
    b.resources.append(p.service_bus_entity(f"{ns}/topics/events", sp.region, "topics"))


def postgres(b: Builder, sp: Spoke) -> None:
    rid = b.rid(sp.rg, "Microsoft.DBforPostgreSQL/flexibleServers", f"psql-{sp.unit}")
    b.resources.append(p.postgres(rid, sp.region, b.ref(sp.subnet("pg")), b.tags(sp.app, sp.stage)))


WORKLOADS: tuple[Callable[[Builder, Spoke], None], ...] = (
    vm_tier,
    vm_tier,
    web_apps,
    sql,
    data_services,
    kubernetes,
    scale_set,
    messaging,
    postgres,
)
