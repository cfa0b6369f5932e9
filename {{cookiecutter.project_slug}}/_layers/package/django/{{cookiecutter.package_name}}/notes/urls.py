from django.urls import path

from {{ cookiecutter.package_name }}.notes.views import NoteListView

urlpatterns = [path("", NoteListView.as_view(), name="note-list")]
