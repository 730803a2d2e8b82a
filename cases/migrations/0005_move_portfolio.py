"""Comments, notifications and user preferences move to the ``portfolio`` app (issue 12). Only
Django's picture of the models changes here; ``portfolio.0001_initial`` renames the tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_comments'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='historicalcomment',
                name='author',
            ),
            migrations.RemoveField(
                model_name='historicalcomment',
                name='cap_case',
            ),
            migrations.RemoveField(
                model_name='historicalcomment',
                name='content_type',
            ),
            migrations.RemoveField(
                model_name='historicalcomment',
                name='history_user',
            ),
            migrations.RemoveField(
                model_name='historicalnotification',
                name='content_type',
            ),
            migrations.RemoveField(
                model_name='historicalnotification',
                name='history_user',
            ),
            migrations.RemoveField(
                model_name='historicalnotification',
                name='party',
            ),
            migrations.RemoveField(
                model_name='historicalnotification',
                name='recipient',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='content_type',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='party',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='recipient',
            ),
            migrations.RemoveField(
                model_name='userpreference',
                name='user',
            ),
            migrations.DeleteModel(
                name='Comment',
            ),
            migrations.DeleteModel(
                name='HistoricalComment',
            ),
            migrations.DeleteModel(
                name='HistoricalNotification',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='UserPreference',
            ),
    
            ],
            database_operations=[],
        ),
    ]
