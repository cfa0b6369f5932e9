from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "{{ cookiecutter.package_name }}.notes"
