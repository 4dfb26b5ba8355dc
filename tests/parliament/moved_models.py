"""The volunteer list's landed data migrations on the draws and the micro-parliament (0006,
0009) name their models ``participation.*``, as they were then; the models now live in
``parliament``. Their functions are tested against today's tables through this registry,
which answers for the moved models with today's."""

from django.apps import apps

MOVED = {
    "draw",
    "drawseat",
    "drawentrant",
    "microparliamentpage",
    "parliamentphase",
    "parliamentmeeting",
    "parliamentmember",
    "parliamentpriority",
}


class MovedModels:
    def get_model(self, app_label, model_name=None):
        if model_name is None:
            app_label, model_name = app_label.split(".")
        if app_label == "participation" and model_name.lower() in MOVED:
            app_label = "parliament"
        return apps.get_model(app_label, model_name)


moved_models = MovedModels()
