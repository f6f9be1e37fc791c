"""Compute family: virtual machines, scale sets, disks."""

from __future__ import annotations

from typing import Any

from cloudcanvas.inventory.families.base import Draft, dicts, dig, items, name_of, obj, ref_of


def _os_of(p: dict[str, Any], storage: dict[str, Any]) -> str | None:
    os_type = dig(storage, "osDisk", "osType")
    if isinstance(os_type, str):
        return os_type
    if dig(p, "osProfile", "windowsConfiguration") is not None:
        return "Windows"
    if dig(p, "osProfile", "linuxConfiguration") is not None:
        return "Linux"
    return None


def _image_of(storage: dict[str, Any]) -> str | None:
    image = obj(storage.get("imageReference"))
    parts = [image.get(k) for k in ("publisher", "offer", "sku")]
    if all(isinstance(part, str) and part for part in parts):
        return ":".join(str(part) for part in parts)
    return name_of(image.get("id"))


def virtual_machine(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    storage = obj(p.get("storageProfile"))
    d.sku = dig(p, "hardwareProfile", "vmSize") or d.sku
    d.fact("size", d.sku)
    d.fact("os", _os_of(p, storage))
    d.fact("image", _image_of(storage))
    power = dig(p, "extended", "instanceView", "powerState", "code")
    if isinstance(power, str):
        d.fact("state", power.rsplit("/", 1)[-1])
    d.fact("priority", p.get("priority"))
    d.fact("availability set", name_of(p.get("availabilitySet")))
    d.fact("computer name", dig(p, "osProfile", "computerName"))
    disks = [storage.get("osDisk"), *items(storage.get("dataDisks"))]
    d.fact("data disks", len(disks) - 1)
    for disk in disks:
        d.link("disk", dig(disk, "managedDisk", "id"), outgoing=False)
    nics = dicts(dig(p, "networkProfile", "networkInterfaces"))
    nics.sort(key=lambda nic: not dig(nic, "properties", "primary"))
    for nic in nics:
        d.link("attached", nic, outgoing=False)
    if nics:
        d.via_ref = ref_of(nics[0])


def scale_set(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(row.get("sku"))
    profile = obj(p.get("virtualMachineProfile"))
    storage = obj(profile.get("storageProfile"))
    d.fact("size", sku.get("name"))
    d.fact("instances", sku.get("capacity"))
    d.fact("os", _os_of(profile, storage))
    d.fact("image", _image_of(storage))
    d.fact("upgrade mode", dig(p, "upgradePolicy", "mode"))
    d.fact("orchestration", p.get("orchestrationMode"))
    nics = dicts(dig(profile, "networkProfile", "networkInterfaceConfigurations"))
    nics.sort(key=lambda nic: not dig(nic, "properties", "primary"))
    for nic in nics:
        props = obj(nic.get("properties"))
        d.link("nsg", props.get("networkSecurityGroup"))
        for conf in dicts(props.get("ipConfigurations")):
            conf_props = obj(conf.get("properties"))
            d.place(conf_props.get("subnet"))
            d.link("subnet", conf_props.get("subnet"))
            for key in ("loadBalancerBackendAddressPools", "applicationGatewayBackendAddressPools"):
                for pool in dicts(conf_props.get(key)):
                    d.link("backend", pool, outgoing=False, climb=True)


def disk(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("size (GB)", p.get("diskSizeGB"))
    d.fact("os", p.get("osType"))
    d.fact("state", p.get("diskState"))
    d.fact("tier", p.get("tier"))
    d.fact("encryption", dig(p, "encryption", "type"))
    managed_by = row.get("managedBy")
    if isinstance(managed_by, str) and managed_by:
        d.link("disk", managed_by, climb=True)  # a scale set instance's disk: to the scale set
        d.via_ref = managed_by
        d.fact("attached to", name_of(managed_by))


def extension(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.via_ref = d.id.rsplit("/", 2)[0]  # drawn with its VM
    d.fact("publisher", p.get("publisher"))
    d.fact("extension type", p.get("type"))
    d.fact("version", p.get("typeHandlerVersion"))


NORMALIZERS = {
    "microsoft.compute/virtualmachines": virtual_machine,
    "microsoft.compute/virtualmachinescalesets": scale_set,
    "microsoft.compute/disks": disk,
    "microsoft.compute/virtualmachines/extensions": extension,
}
