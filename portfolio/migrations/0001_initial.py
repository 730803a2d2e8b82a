"""The portfolio app takes over comments, notifications and user preferences from ``cases``
(issue 12): the tables are renamed (``cases_comment`` → ``portfolio_comment``…), rows untouched;
the content types follow, so permissions and history keep pointing at them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ['comment', 'historicalcomment', 'notification', 'historicalnotification', 'userpreference']


def rename_table(old: str, new: str):
    return migrations.RunSQL(
        f'ALTER TABLE "{old}" RENAME TO "{new}"', reverse_sql=f'ALTER TABLE "{new}" RENAME TO "{old}"'
    )


def move_content_types(from_app: str, to_app: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        ContentType.objects.using(db).filter(app_label=from_app, model__in=MOVED_MODELS).update(app_label=to_app)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0005_move_portfolio'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('parties', '0002_donors'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                rename_table("cases_comment", "portfolio_comment"),
                rename_table("cases_historicalcomment", "portfolio_historicalcomment"),
                rename_table("cases_notification", "portfolio_notification"),
                rename_table("cases_historicalnotification", "portfolio_historicalnotification"),
                rename_table("cases_userpreference", "portfolio_userpreference"),
            ],
            state_operations=[
            migrations.CreateModel(
                name='HistoricalComment',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('object_id', models.PositiveBigIntegerField(verbose_name='about (id)')),
                    ('body', models.TextField(verbose_name='comment')),
                    ('visibility', models.CharField(choices=[('internal', 'Internal to the Secretariat'), ('shared', 'Shared with the Party')], default='internal', max_length=10, verbose_name='visibility')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('author', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                    ('cap_case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.capcase', verbose_name='CAP case')),
                    ('content_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype', verbose_name='about (kind)')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical comment',
                    'verbose_name_plural': 'historical comments',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalNotification',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('kind', models.CharField(choices=[('progress_due', 'Progress update due'), ('progress_overdue', 'Progress update overdue'), ('milestone_due', 'Milestone due'), ('milestone_overdue', 'Milestone overdue'), ('agreement_ending', 'Agreement ending'), ('agreement_ended', 'Agreement ended')], max_length=30, verbose_name='kind')),
                    ('subject', models.CharField(max_length=255, verbose_name='subject')),
                    ('body', models.TextField(verbose_name='message')),
                    ('sent_at', models.DateTimeField(verbose_name='sent at')),
                    ('email', models.EmailField(blank=True, max_length=254, verbose_name='sent to')),
                    ('object_id', models.PositiveBigIntegerField(null=True, verbose_name='about (id)')),
                    ('key', models.CharField(help_text='What the reminder is for: it is sent once per recipient and key.', max_length=200, verbose_name='key')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('content_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype', verbose_name='about (kind)')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('party', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.party', verbose_name='Party')),
                    ('recipient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                ],
                options={
                    'verbose_name': 'historical notification',
                    'verbose_name_plural': 'historical notifications',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='UserPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('language', models.CharField(blank=True, choices=[('en', 'English'), ('fr', 'French'), ('es', 'Spanish')], max_length=10, verbose_name='preferred language')),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='cap_preference', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ],
                options={
                    'verbose_name': 'user preference',
                    'verbose_name_plural': 'user preferences',
                },
            ),
            migrations.CreateModel(
                name='Comment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('object_id', models.PositiveBigIntegerField(verbose_name='about (id)')),
                    ('body', models.TextField(verbose_name='comment')),
                    ('visibility', models.CharField(choices=[('internal', 'Internal to the Secretariat'), ('shared', 'Shared with the Party')], default='internal', max_length=10, verbose_name='visibility')),
                    ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cap_comments', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                    ('cap_case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='cases.capcase', verbose_name='CAP case')),
                    ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='about (kind)')),
                ],
                options={
                    'verbose_name': 'comment',
                    'verbose_name_plural': 'comments',
                    'ordering': ['-created', '-pk'],
                    'indexes': [models.Index(fields=['content_type', 'object_id'], name='comment_target_idx')],
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('kind', models.CharField(choices=[('progress_due', 'Progress update due'), ('progress_overdue', 'Progress update overdue'), ('milestone_due', 'Milestone due'), ('milestone_overdue', 'Milestone overdue'), ('agreement_ending', 'Agreement ending'), ('agreement_ended', 'Agreement ended')], max_length=30, verbose_name='kind')),
                    ('subject', models.CharField(max_length=255, verbose_name='subject')),
                    ('body', models.TextField(verbose_name='message')),
                    ('sent_at', models.DateTimeField(verbose_name='sent at')),
                    ('email', models.EmailField(blank=True, max_length=254, verbose_name='sent to')),
                    ('object_id', models.PositiveBigIntegerField(null=True, verbose_name='about (id)')),
                    ('key', models.CharField(help_text='What the reminder is for: it is sent once per recipient and key.', max_length=200, verbose_name='key')),
                    ('content_type', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='about (kind)')),
                    ('party', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='parties.party', verbose_name='Party')),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cap_notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                ],
                options={
                    'verbose_name': 'notification',
                    'verbose_name_plural': 'notifications',
                    'ordering': ['-sent_at', '-pk'],
                    'constraints': [models.UniqueConstraint(fields=('recipient', 'key'), name='notification_once_per_key')],
                },
            ),
    
            ],
        ),
        migrations.RunPython(
            move_content_types("cases", "portfolio"), move_content_types("portfolio", "cases")
        ),
    ]
