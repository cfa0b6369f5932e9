from django.views.generic import ListView

from {{ cookiecutter.package_name }}.notes.models import Note


class NoteListView(ListView):
    model = Note
    paginate_by = 20
