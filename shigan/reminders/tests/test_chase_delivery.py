"""一键催报 goes beyond the inbox: by email to each reporter account that has an address and to
the unit's group robots, once per sending (a resubmitted form queues nothing)."""

import datetime

from shigan.reminders.models import Channel, Delivery, UnitRobot
from shigan.reminders.services import chase_send

JUNE = datetime.date(2023, 6, 1)


def test_a_chase_is_queued_by_email_and_to_the_units_robot_once(world, settings):
    settings.SHIGAN_EMAIL_ENABLED = True
    settings.SHIGAN_ROBOT_HOSTS = ["oapi.dingtalk.com"]
    world.reporter_a.email = "wang@example.gov.cn"
    world.reporter_a.save()
    robot = UnitRobot.objects.create(
        unit=world.unit_a, channel=Channel.DINGTALK,
        webhook="https://oapi.dingtalk.com/robot/send?access_token=abc",
    )  # fmt: skip
    targets = {world.unit_a: [world.reporter_a], world.unit_b: [world.reporter_b]}
    for _ in range(2):
        chase_send(
            by=world.coordinator, period=JUNE, text="请于7月7日前报送6月工作进展。",
            batch="a" * 32, recipients=targets,
        )  # fmt: skip
    queued = {(d.channel, d.recipient_id, d.robot_id) for d in Delivery.objects.all()}
    assert queued == {
        (Channel.EMAIL, world.reporter_a.pk, None),  # reporter_b has no address
        (Channel.DINGTALK, None, robot.pk),  # unit B has no robot
    }
    assert all("6月工作进展" in d.body for d in Delivery.objects.all())
