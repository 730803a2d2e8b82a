"""The API tokens of DRF's authtoken, kept in plain text, no longer authenticate (named tokens,
``accounts.ApiToken``, store only a digest): delete them, so a copy of the database or of a
backup holds no working-looking key."""

from django.db import migrations


def delete_plain_text_tokens(apps, schema_editor):
    apps.get_model("authtoken", "Token").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(delete_plain_text_tokens, migrations.RunPython.noop)]
