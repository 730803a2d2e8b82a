"""The budgets app takes over the funding models from ``workplans`` (issue 12).

The tables are renamed (``workplans_budgetline`` → ``budgets_budgetline``…), rows, keys and
history untouched; the content types follow, so comments, notifications, permissions and
history that point at a funding record keep pointing at it.
"""

import budgets.models
import django.core.validators
import django.db.models.deletion
import simple_history.models
import workplans.validators
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ['fundingsource', 'legalinstrument', 'nocostextension', 'installment', 'budgetline', 'expenditure', 'historicalfundingsource', 'historicallegalinstrument', 'historicalnocostextension', 'historicalinstallment', 'historicalbudgetline', 'historicalexpenditure']


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
        ('cases', '0004_comments'),
        ('parties', '0002_donors'),
        ('workplans', '0004_move_funding_to_budgets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                rename_table("workplans_fundingsource", "budgets_fundingsource"),
                rename_table("workplans_legalinstrument", "budgets_legalinstrument"),
                rename_table("workplans_legalinstrument_funding_sources", "budgets_legalinstrument_funding_sources"),
                rename_table("workplans_nocostextension", "budgets_nocostextension"),
                rename_table("workplans_installment", "budgets_installment"),
                rename_table("workplans_budgetline", "budgets_budgetline"),
                rename_table("workplans_expenditure", "budgets_expenditure"),
                rename_table("workplans_historicalfundingsource", "budgets_historicalfundingsource"),
                rename_table("workplans_historicallegalinstrument", "budgets_historicallegalinstrument"),
                rename_table("workplans_historicalnocostextension", "budgets_historicalnocostextension"),
                rename_table("workplans_historicalinstallment", "budgets_historicalinstallment"),
                rename_table("workplans_historicalbudgetline", "budgets_historicalbudgetline"),
                rename_table("workplans_historicalexpenditure", "budgets_historicalexpenditure"),
            ],
            state_operations=[
            migrations.CreateModel(
                name='BudgetLine',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('category', models.CharField(choices=[('staff', 'Staff time'), ('consultancies', 'Consultancies'), ('technical_missions', 'Technical missions'), ('workshops', 'Workshops'), ('equipment', 'Equipment'), ('other', 'Other')], max_length=30, verbose_name='category')),
                    ('description', models.CharField(max_length=255, verbose_name='description')),
                    ('unit', models.CharField(help_text='e.g. Years, Number of missions, Flat rate.', max_length=100, verbose_name='unit')),
                    ('units', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='number of units')),
                    ('rate', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.00'))], verbose_name='rate (USD)')),
                    ('year', models.PositiveSmallIntegerField(default=1, help_text='Year of the implementation period: 1, 2, 3…', validators=[django.core.validators.MinValueValidator(1)], verbose_name='year')),
                    ('is_illustrative', models.BooleanField(default=False, verbose_name='illustrative')),
                    ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='budget_lines', to='workplans.activity', verbose_name='activity')),
                    ('workplan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budget_lines', to='workplans.workplan', verbose_name='workplan')),
                ],
                options={
                    'verbose_name': 'budget line',
                    'verbose_name_plural': 'budget lines',
                    'ordering': ['workplan', 'year', 'category', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='Expenditure',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount')),
                    ('currency', models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('CHF', 'Swiss franc (CHF)'), ('GBP', 'Pound sterling (GBP)'), ('XOF', 'CFA franc BCEAO (XOF)'), ('GNF', 'Guinean franc (GNF)'), ('KHR', 'Cambodian riel (KHR)'), ('LAK', 'Lao kip (LAK)'), ('NGN', 'Nigerian naira (NGN)'), ('SBD', 'Solomon Islands dollar (SBD)'), ('SRD', 'Surinamese dollar (SRD)'), ('VND', 'Vietnamese dong (VND)')], default='USD', max_length=3, verbose_name='currency')),
                    ('exchange_rate', models.DecimalField(blank=True, decimal_places=8, help_text='USD per unit of the currency; required unless the amount is in USD.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='exchange rate to USD')),
                    ('spent_on', models.DateField(verbose_name='spent on')),
                    ('description', models.CharField(max_length=255, verbose_name='description')),
                    ('document', models.FileField(blank=True, help_text='PDF, DOCX, XLSX, PNG or JPEG.', max_length=255, upload_to=budgets.models.expenditure_upload_to, validators=[workplans.validators.validate_deliverable_file], verbose_name='supporting document')),
                    ('is_illustrative', models.BooleanField(default=False, verbose_name='illustrative')),
                    ('budget_line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='budgets.budgetline', verbose_name='budget line')),
                    ('reported_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                ],
                options={
                    'verbose_name': 'expenditure',
                    'verbose_name_plural': 'expenditures',
                    'ordering': ['-spent_on', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='FundingSource',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('fund', models.CharField(choices=[('CTL', 'CITES Trust Fund (CTL)'), ('QTL', 'CITES external funds (QTL)')], max_length=3, verbose_name='fund')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('donor', models.ForeignKey(blank=True, help_text='Required for external funds (QTL).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='funding_sources', to='parties.donor', verbose_name='donor')),
                ],
                options={
                    'verbose_name': 'funding source',
                    'verbose_name_plural': 'funding sources',
                    'ordering': ['fund', 'donor__name', 'name'],
                },
            ),
            migrations.AddField(
                model_name='budgetline',
                name='funding_source',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budget_lines', to='budgets.fundingsource', verbose_name='funding source'),
            ),
            migrations.CreateModel(
                name='HistoricalBudgetLine',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('category', models.CharField(choices=[('staff', 'Staff time'), ('consultancies', 'Consultancies'), ('technical_missions', 'Technical missions'), ('workshops', 'Workshops'), ('equipment', 'Equipment'), ('other', 'Other')], max_length=30, verbose_name='category')),
                    ('description', models.CharField(max_length=255, verbose_name='description')),
                    ('unit', models.CharField(help_text='e.g. Years, Number of missions, Flat rate.', max_length=100, verbose_name='unit')),
                    ('units', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='number of units')),
                    ('rate', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.00'))], verbose_name='rate (USD)')),
                    ('year', models.PositiveSmallIntegerField(default=1, help_text='Year of the implementation period: 1, 2, 3…', validators=[django.core.validators.MinValueValidator(1)], verbose_name='year')),
                    ('is_illustrative', models.BooleanField(default=False, verbose_name='illustrative')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('activity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='workplans.activity', verbose_name='activity')),
                    ('funding_source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.fundingsource', verbose_name='funding source')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('workplan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='workplans.workplan', verbose_name='workplan')),
                ],
                options={
                    'verbose_name': 'historical budget line',
                    'verbose_name_plural': 'historical budget lines',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalExpenditure',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount')),
                    ('currency', models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('CHF', 'Swiss franc (CHF)'), ('GBP', 'Pound sterling (GBP)'), ('XOF', 'CFA franc BCEAO (XOF)'), ('GNF', 'Guinean franc (GNF)'), ('KHR', 'Cambodian riel (KHR)'), ('LAK', 'Lao kip (LAK)'), ('NGN', 'Nigerian naira (NGN)'), ('SBD', 'Solomon Islands dollar (SBD)'), ('SRD', 'Surinamese dollar (SRD)'), ('VND', 'Vietnamese dong (VND)')], default='USD', max_length=3, verbose_name='currency')),
                    ('exchange_rate', models.DecimalField(blank=True, decimal_places=8, help_text='USD per unit of the currency; required unless the amount is in USD.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='exchange rate to USD')),
                    ('spent_on', models.DateField(verbose_name='spent on')),
                    ('description', models.CharField(max_length=255, verbose_name='description')),
                    ('document', models.TextField(blank=True, help_text='PDF, DOCX, XLSX, PNG or JPEG.', max_length=255, validators=[workplans.validators.validate_deliverable_file], verbose_name='supporting document')),
                    ('is_illustrative', models.BooleanField(default=False, verbose_name='illustrative')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('budget_line', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.budgetline', verbose_name='budget line')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('reported_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                ],
                options={
                    'verbose_name': 'historical expenditure',
                    'verbose_name_plural': 'historical expenditures',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalFundingSource',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('fund', models.CharField(choices=[('CTL', 'CITES Trust Fund (CTL)'), ('QTL', 'CITES external funds (QTL)')], max_length=3, verbose_name='fund')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('donor', models.ForeignKey(blank=True, db_constraint=False, help_text='Required for external funds (QTL).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.donor', verbose_name='donor')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical funding source',
                    'verbose_name_plural': 'historical funding sources',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalLegalInstrument',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount')),
                    ('currency', models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('CHF', 'Swiss franc (CHF)'), ('GBP', 'Pound sterling (GBP)'), ('XOF', 'CFA franc BCEAO (XOF)'), ('GNF', 'Guinean franc (GNF)'), ('KHR', 'Cambodian riel (KHR)'), ('LAK', 'Lao kip (LAK)'), ('NGN', 'Nigerian naira (NGN)'), ('SBD', 'Solomon Islands dollar (SBD)'), ('SRD', 'Surinamese dollar (SRD)'), ('VND', 'Vietnamese dong (VND)')], default='USD', max_length=3, verbose_name='currency')),
                    ('exchange_rate', models.DecimalField(blank=True, decimal_places=8, help_text='USD per unit of the currency; required unless the amount is in USD.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='exchange rate to USD')),
                    ('counterpart_kind', models.CharField(choices=[('management_authority', 'Management Authority'), ('undp_country_office', 'UNDP country office'), ('other', 'Other')], default='management_authority', max_length=30, verbose_name='counterpart')),
                    ('counterpart_name', models.CharField(max_length=255, verbose_name='counterpart name')),
                    ('reference', models.CharField(max_length=100, verbose_name='reference')),
                    ('signed_on', models.DateField(verbose_name='signed on')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(help_text='As signed; no-cost extensions move the current end date.', verbose_name='original end date')),
                    ('notes', models.TextField(blank=True, verbose_name='notes')),
                    ('is_illustrative', models.BooleanField(default=False, help_text='Sample data: dates or figures invented where the documents give none.', verbose_name='illustrative')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('cap_case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.capcase', verbose_name='CAP case')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical legal instrument',
                    'verbose_name_plural': 'historical legal instruments',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='LegalInstrument',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount')),
                    ('currency', models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('CHF', 'Swiss franc (CHF)'), ('GBP', 'Pound sterling (GBP)'), ('XOF', 'CFA franc BCEAO (XOF)'), ('GNF', 'Guinean franc (GNF)'), ('KHR', 'Cambodian riel (KHR)'), ('LAK', 'Lao kip (LAK)'), ('NGN', 'Nigerian naira (NGN)'), ('SBD', 'Solomon Islands dollar (SBD)'), ('SRD', 'Surinamese dollar (SRD)'), ('VND', 'Vietnamese dong (VND)')], default='USD', max_length=3, verbose_name='currency')),
                    ('exchange_rate', models.DecimalField(blank=True, decimal_places=8, help_text='USD per unit of the currency; required unless the amount is in USD.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='exchange rate to USD')),
                    ('counterpart_kind', models.CharField(choices=[('management_authority', 'Management Authority'), ('undp_country_office', 'UNDP country office'), ('other', 'Other')], default='management_authority', max_length=30, verbose_name='counterpart')),
                    ('counterpart_name', models.CharField(max_length=255, verbose_name='counterpart name')),
                    ('reference', models.CharField(max_length=100, verbose_name='reference')),
                    ('signed_on', models.DateField(verbose_name='signed on')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(help_text='As signed; no-cost extensions move the current end date.', verbose_name='original end date')),
                    ('notes', models.TextField(blank=True, verbose_name='notes')),
                    ('is_illustrative', models.BooleanField(default=False, help_text='Sample data: dates or figures invented where the documents give none.', verbose_name='illustrative')),
                    ('cap_case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='legal_instruments', to='cases.capcase', verbose_name='CAP case')),
                    ('funding_sources', models.ManyToManyField(related_name='legal_instruments', to='budgets.fundingsource', verbose_name='funding sources')),
                ],
                options={
                    'verbose_name': 'legal instrument',
                    'verbose_name_plural': 'legal instruments',
                    'ordering': ['cap_case__party__name', 'signed_on', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalNoCostExtension',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('new_end_date', models.DateField(verbose_name='new end date')),
                    ('reason', models.TextField(verbose_name='reason')),
                    ('granted_on', models.DateField(verbose_name='granted on')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('instrument', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.legalinstrument', verbose_name='legal instrument')),
                ],
                options={
                    'verbose_name': 'historical no-cost extension',
                    'verbose_name_plural': 'historical no-cost extensions',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalInstallment',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount')),
                    ('currency', models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('CHF', 'Swiss franc (CHF)'), ('GBP', 'Pound sterling (GBP)'), ('XOF', 'CFA franc BCEAO (XOF)'), ('GNF', 'Guinean franc (GNF)'), ('KHR', 'Cambodian riel (KHR)'), ('LAK', 'Lao kip (LAK)'), ('NGN', 'Nigerian naira (NGN)'), ('SBD', 'Solomon Islands dollar (SBD)'), ('SRD', 'Surinamese dollar (SRD)'), ('VND', 'Vietnamese dong (VND)')], default='USD', max_length=3, verbose_name='currency')),
                    ('exchange_rate', models.DecimalField(blank=True, decimal_places=8, help_text='USD per unit of the currency; required unless the amount is in USD.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='exchange rate to USD')),
                    ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                    ('planned_on', models.DateField(verbose_name='planned on')),
                    ('transferred_on', models.DateField(blank=True, null=True, verbose_name='transferred on')),
                    ('received_on', models.DateField(blank=True, null=True, verbose_name='received on')),
                    ('is_illustrative', models.BooleanField(default=False, verbose_name='illustrative')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('funding_source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.fundingsource', verbose_name='funding source')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('instrument', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.legalinstrument', verbose_name='legal instrument')),
                ],
                options={
                    'verbose_name': 'historical installment',
                    'verbose_name_plural': 'historical installments',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='NoCostExtension',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('new_end_date', models.DateField(verbose_name='new end date')),
                    ('reason', models.TextField(verbose_name='reason')),
                    ('granted_on', models.DateField(verbose_name='granted on')),
                    ('instrument', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='budgets.legalinstrument', verbose_name='legal instrument')),
                ],
                options={
                    'verbose_name': 'no-cost extension',
                    'verbose_name_plural': 'no-cost extensions',
                    'ordering': ['instrument', 'new_end_date', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='Installment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount')),
                    ('currency', models.CharField(choices=[('USD', 'US dollar (USD)'), ('EUR', 'Euro (EUR)'), ('CHF', 'Swiss franc (CHF)'), ('GBP', 'Pound sterling (GBP)'), ('XOF', 'CFA franc BCEAO (XOF)'), ('GNF', 'Guinean franc (GNF)'), ('KHR', 'Cambodian riel (KHR)'), ('LAK', 'Lao kip (LAK)'), ('NGN', 'Nigerian naira (NGN)'), ('SBD', 'Solomon Islands dollar (SBD)'), ('SRD', 'Surinamese dollar (SRD)'), ('VND', 'Vietnamese dong (VND)')], default='USD', max_length=3, verbose_name='currency')),
                    ('exchange_rate', models.DecimalField(blank=True, decimal_places=8, help_text='USD per unit of the currency; required unless the amount is in USD.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='exchange rate to USD')),
                    ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                    ('planned_on', models.DateField(verbose_name='planned on')),
                    ('transferred_on', models.DateField(blank=True, null=True, verbose_name='transferred on')),
                    ('received_on', models.DateField(blank=True, null=True, verbose_name='received on')),
                    ('is_illustrative', models.BooleanField(default=False, verbose_name='illustrative')),
                    ('funding_source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='installments', to='budgets.fundingsource', verbose_name='funding source')),
                    ('instrument', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='installments', to='budgets.legalinstrument', verbose_name='legal instrument')),
                ],
                options={
                    'verbose_name': 'installment',
                    'verbose_name_plural': 'installments',
                    'ordering': ['instrument', 'number', 'pk'],
                    'constraints': [models.UniqueConstraint(fields=('instrument', 'number'), name='installment_number_unique')],
                },
            ),
    
            ],
        ),
        migrations.RunPython(
            move_content_types("workplans", "budgets"), move_content_types("budgets", "workplans")
        ),
    ]
