from django.db import migrations, models

import home.validators


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_fill_legal_information"),
    ]

    operations = [
        migrations.AddField(
            model_name="legalinformation",
            name="email_sender_name",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The name the site's e-mails come from, before their address. Empty: the "
                    "commune's name for a commune, the network's name for the network."
                ),
                max_length=80,
                validators=[home.validators.validate_email_sender_name],
                verbose_name="e-mail sender name",
            ),
        ),
    ]
